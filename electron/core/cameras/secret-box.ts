import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Seals camera passwords before they reach the database. Core never imports electron: the Electron
 * main provides a safeStorage-backed box, the Node host uses `fileKeySecretBox`.
 */
export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the sealed value cannot be opened (another machine's key, tampering). */
  open(sealed: string): string;
}

export const SECRET_KEY_FILE = 'secret.key';
const PREFIX = 'aesgcm1:';

/**
 * AES-256-GCM under a random key kept in a file only this user can read (0600; a key file that
 * others can read is tightened before use). Losing the file loses the passwords, not the cameras.
 */
export function fileKeySecretBox(dataDir: string): SecretBox {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  let key: Buffer;
  if (fs.existsSync(file)) {
    if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
    key = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${file} is not a 256-bit key`);
  } else {
    key = crypto.randomBytes(32);
    fs.mkdirSync(dataDir, { recursive: true });
    // wx: never overwrite a key another process just wrote.
    fs.writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  return {
    seal(plain) {
      const iv = crypto.randomBytes(12);
      const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      if (!sealed.startsWith(PREFIX)) throw new Error('not sealed by this box');
      const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
