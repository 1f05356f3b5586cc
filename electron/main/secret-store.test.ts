import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileKeySecretBox } from '../core/cameras/secret-box';
import {
  KEYRING_BACKENDS,
  choiceOfButton,
  choiceText,
  consentDialog,
  keychainState,
  parseChoice,
  planSecretStore,
  startupWarning,
  type SecretStoreFacts,
} from './secret-store';

const linux = (backend: string, more: Partial<SecretStoreFacts> = {}): SecretStoreFacts => ({
  platform: 'linux',
  encryptionAvailable: true,
  backend,
  choice: undefined,
  ...more,
});
const paths = { keyFile: '/home/duty/.config/综治中心值班台/secret.key', choiceFile: '/home/duty/.config/综治中心值班台/secret-store.json' };

describe('where passwords are sealed', () => {
  it('uses the OS keychain where there is one', () => {
    for (const backend of KEYRING_BACKENDS) expect(planSecretStore(linux(backend))).toEqual({ use: 'safe-storage' });
    expect(planSecretStore({ platform: 'win32', encryptionAvailable: true, backend: undefined, choice: undefined })).toEqual({ use: 'safe-storage' });
    expect(planSecretStore({ platform: 'darwin', encryptionAvailable: true, backend: undefined, choice: undefined })).toEqual({ use: 'safe-storage' });
  });

  it('never seals with basic_text silently: it asks first', () => {
    // On basic_text safeStorage may well say encryption is available: with a key known to everyone.
    expect(planSecretStore(linux('basic_text'))).toEqual({ use: 'ask', why: 'basic_text' });
    expect(planSecretStore(linux('basic_text', { encryptionAvailable: false }))).toEqual({ use: 'ask', why: 'basic_text' });
    // Asked before ready, or a backend this build does not know: not vouched for either.
    expect(planSecretStore(linux('unknown'))).toEqual({ use: 'ask', why: 'basic_text' });
    expect(planSecretStore(linux('some_future_store'))).toEqual({ use: 'ask', why: 'basic_text' });
    expect(keychainState({ platform: 'linux', encryptionAvailable: true, backend: undefined })).toBe('basic_text');
  });

  it('asks when the keychain is unavailable elsewhere', () => {
    expect(planSecretStore({ platform: 'darwin', encryptionAvailable: false, backend: undefined, choice: undefined })).toEqual({ use: 'ask', why: 'unavailable' });
    expect(planSecretStore(linux('gnome_libsecret', { encryptionAvailable: false }))).toEqual({ use: 'ask', why: 'unavailable' });
  });

  it('follows the answer: the key file, or no passwords at all', () => {
    expect(planSecretStore(linux('basic_text', { choice: 'key-file' }))).toEqual({ use: 'key-file', why: 'basic_text' });
    expect(planSecretStore(linux('basic_text', { choice: 'not-stored' }))).toEqual({ use: 'not-stored', why: 'basic_text' });
    expect(choiceOfButton(0)).toBe('key-file');
    expect(choiceOfButton(1)).toBe('not-stored');
    // Escape / closing the dialog answers with the cancel button: nothing is kept with a known key.
    expect(choiceOfButton(-1)).toBe('not-stored');
  });

  it('keeps the key file once chosen, even when a keyring appears (its passwords would be unreadable otherwise)', () => {
    expect(planSecretStore(linux('gnome_libsecret', { choice: 'key-file' }))).toEqual({ use: 'key-file', why: 'chosen' });
  });

  it('moves to the keychain when one appears after passwords were declined (nothing was stored)', () => {
    expect(planSecretStore(linux('kwallet5', { choice: 'not-stored' }))).toEqual({ use: 'safe-storage' });
  });
});

describe('the recorded choice', () => {
  it('reads back what it wrote, and anything else as no choice', () => {
    const at = new Date('2026-12-02T08:00:00Z');
    expect(parseChoice(choiceText('key-file', at))).toBe('key-file');
    expect(parseChoice(choiceText('not-stored', at))).toBe('not-stored');
    for (const text of [undefined, '', '{', '{"choice":"basic_text"}', '[]', 'null', '"key-file"']) expect(parseChoice(text), String(text)).toBeUndefined();
  });
});

describe('what the console says', () => {
  it('says which store it uses whenever it is not the keychain', () => {
    expect(startupWarning({ use: 'safe-storage' }, paths)).toBeNull();
    expect(startupWarning({ use: 'key-file', why: 'basic_text' }, paths)).toMatch(/basic_text.*secret\.key.*AES-256-GCM/);
    expect(startupWarning({ use: 'key-file', why: 'chosen' }, paths)).toContain(paths.keyFile);
    expect(startupWarning({ use: 'not-stored', why: 'basic_text' }, paths)).toMatch(/not stored.*delete .*secret-store\.json/);
  });

  it('asks in both languages, naming the key file', () => {
    const dialog = consentDialog('basic_text', paths.keyFile);
    expect(dialog.detail).toContain(paths.keyFile);
    expect(dialog.detail).toContain('basic_text');
    expect(dialog.buttons[0]).toMatch(/密钥文件.*key file/);
    expect(dialog.buttons[1]).toMatch(/不保存密码.*Do not store/);
    expect(consentDialog('unavailable', paths.keyFile).detail).toMatch(/钥匙串不可用.*keychain is not available/s);
  });
});

describe('the key-file scheme', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it('a random 32-byte key in a 0600 file in the profile; AES-256-GCM, tamper-evident', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-store-'));
    dirs.push(dir);
    const box = fileKeySecretBox(dir);
    const file = path.join(dir, 'secret.key');
    expect(Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const sealed = box.seal('摄像机密码 camera-pw');
    expect(sealed).not.toContain('camera-pw');
    expect(box.seal('摄像机密码 camera-pw')).not.toBe(sealed); // a fresh IV each time
    expect(fileKeySecretBox(dir).open(sealed)).toBe('摄像机密码 camera-pw');
    const raw = Buffer.from(sealed.slice('aesgcm1:'.length), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`aesgcm1:${raw.toString('base64')}`)).toThrow();
  });
});
