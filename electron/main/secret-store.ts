/**
 * Where camera and city-link passwords are sealed, decided from what Electron's safeStorage offers
 * here and what the user chose. Pure (no electron import): unit-tested in secret-store.test.ts;
 * secret-box.ts is the glue.
 *
 * safeStorage seals with the OS keychain (DPAPI, macOS Keychain, libsecret/KWallet). On Linux
 * without a keyring its backend is `basic_text`: a key compiled into Chromium, known to everyone,
 * so "sealed" passwords would be readable by anyone with the database. We never seal with it
 * silently: the console says so and asks once; with the user's consent it uses the key-file scheme
 * (a random 256-bit key in a file only this user can read, `secret.key` in the profile, AES-256-GCM —
 * electron/core/cameras/secret-box.ts `fileKeySecretBox`, what the Node host uses), else it stores
 * no passwords at all (saving one is refused with `secrets.not_stored`).
 */

/** What the user chose when there was no keychain; kept in the profile (CHOICE_FILE). */
export type SecretStoreChoice = 'key-file' | 'not-stored';

export const CHOICE_FILE = 'secret-store.json';

/** safeStorage's Linux backends that are a real keyring (getSelectedStorageBackend). */
export const KEYRING_BACKENDS: ReadonlySet<string> = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export interface SecretStoreFacts {
  platform: string;
  /** safeStorage.isEncryptionAvailable() (after app ready). */
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux; undefined elsewhere. */
  backend: string | undefined;
  /** The choice recorded in the profile, if any. */
  choice: SecretStoreChoice | undefined;
}

/** Why the OS keychain cannot be used. */
export type NoKeychain = 'basic_text' | 'unavailable';

export type SecretStorePlan =
  | { use: 'safe-storage' }
  /** No keychain and no recorded choice: ask the user (the dialog), then plan again with the answer. */
  | { use: 'ask'; why: NoKeychain }
  | { use: 'key-file'; why: NoKeychain | 'chosen' }
  | { use: 'not-stored'; why: NoKeychain };

/** Can safeStorage seal with a key nobody else knows? */
export function keychainState(facts: Pick<SecretStoreFacts, 'platform' | 'encryptionAvailable' | 'backend'>): 'ok' | NoKeychain {
  if (facts.platform === 'linux') {
    // 'basic_text', 'unknown' (asked before ready) or anything new: not a keyring we can vouch for.
    if (!facts.backend || !KEYRING_BACKENDS.has(facts.backend)) return 'basic_text';
  }
  return facts.encryptionAvailable ? 'ok' : 'unavailable';
}

export function planSecretStore(facts: SecretStoreFacts): SecretStorePlan {
  // Passwords sealed with the key file stay there, even once a keyring appears: switching would
  // leave them unreadable.
  if (facts.choice === 'key-file') {
    const state = keychainState(facts);
    return { use: 'key-file', why: state === 'ok' ? 'chosen' : state };
  }
  const state = keychainState(facts);
  if (state === 'ok') return { use: 'safe-storage' }; // nothing was stored while declined: nothing to move
  if (facts.choice === 'not-stored') return { use: 'not-stored', why: state };
  return { use: 'ask', why: state };
}

/** The recorded choice from the file's text; anything unreadable counts as no choice (ask again). */
export function parseChoice(text: string | undefined): SecretStoreChoice | undefined {
  if (!text) return undefined;
  try {
    const value = (JSON.parse(text) as { choice?: unknown }).choice;
    return value === 'key-file' || value === 'not-stored' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function choiceText(choice: SecretStoreChoice, at: Date): string {
  return `${JSON.stringify({ choice, at: at.toISOString() }, null, 2)}\n`;
}

const whyText: Record<NoKeychain, string> = {
  basic_text: 'no system keyring (safeStorage backend basic_text, a key known to everyone)',
  unavailable: 'the system keychain is not available (safeStorage)',
};

/** The line the console logs at start; null when the OS keychain seals. */
export function startupWarning(plan: SecretStorePlan, paths: { keyFile: string; choiceFile: string }): string | null {
  switch (plan.use) {
    case 'safe-storage':
    case 'ask':
      return null;
    case 'key-file':
      return plan.why === 'chosen'
        ? `[secrets] camera and link passwords are sealed with the key file ${paths.keyFile} (AES-256-GCM), as chosen earlier (${paths.choiceFile})`
        : `[secrets] ${whyText[plan.why]}: camera and link passwords are sealed with the key file ${paths.keyFile} (AES-256-GCM, readable by this user only), as chosen (${paths.choiceFile})`;
    case 'not-stored':
      return `[secrets] ${whyText[plan.why]}: camera and link passwords are not stored, as chosen; delete ${paths.choiceFile} to be asked again`;
  }
}

/** The first-run question (bilingual, like the shell's other dialogs). Button 0 is the key file. */
export function consentDialog(why: NoKeychain, keyFile: string): { title: string; message: string; detail: string; buttons: [string, string] } {
  const reason =
    why === 'basic_text'
      ? '本机没有系统密钥环（safeStorage 只能用公开的固定密钥 basic_text）。\nThis PC has no system keyring (safeStorage could only use basic_text, a key known to everyone).'
      : '系统钥匙串不可用。\nThe system keychain is not available.';
  return {
    title: '密码保存方式 / How to keep passwords',
    message: '摄像机和市级链路的密码如何保存？\nHow should camera and city-link passwords be kept?',
    detail:
      `${reason}\n\n` +
      `使用密钥文件：随机 256 位密钥保存在只有当前用户可读的文件中（AES-256-GCM）：\n` +
      `Use a key file: a random 256-bit key in a file only this user can read (AES-256-GCM):\n${keyFile}\n\n` +
      '不保存密码：添加或修改带密码的摄像机和链路将被拒绝。\nDo not store passwords: adding or editing a camera or link with a password is refused.',
    buttons: ['使用密钥文件 / Use a key file', '不保存密码 / Do not store passwords'],
  };
}

/** The dialog's answer (button index; closing the dialog is the cancel button, "not stored"). */
export const choiceOfButton = (index: number): SecretStoreChoice => (index === 0 ? 'key-file' : 'not-stored');
