import { safeStorage } from 'electron';
import type { SecretBox } from '../core/cameras/secret-box';

const PREFIX = 'safestorage1:';

/** Camera passwords sealed by the OS keychain (DPAPI, Keychain, libsecret) through Electron's safeStorage. */
export function safeStorageSecretBox(): SecretBox | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined; // falls back to core's user-only key file
  return {
    seal: (plain) => PREFIX + safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => {
      if (!sealed.startsWith(PREFIX)) throw new Error('not sealed by safeStorage');
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    },
  };
}
