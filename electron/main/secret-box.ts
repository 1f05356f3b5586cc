/**
 * The SecretBox the core seals camera and link passwords with, as secret-store.ts plans it:
 * Electron's safeStorage when the OS keychain seals; else, with the user's consent, the key file;
 * else a box that stores no password. Glue only: the decisions are unit-tested in secret-store.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { dialog, safeStorage } from 'electron';
import { ContractError } from '@shared';
import { SECRET_KEY_FILE, fileKeySecretBox, type SecretBox } from '../core/cameras/secret-box';
import {
  CHOICE_FILE,
  choiceOfButton,
  choiceText,
  consentDialog,
  parseChoice,
  planSecretStore,
  startupWarning,
  type SecretStoreFacts,
} from './secret-store';

const PREFIX = 'safestorage1:';

/** Camera passwords sealed by the OS keychain (DPAPI, Keychain, libsecret, KWallet) through safeStorage. */
function safeStorageSecretBox(): SecretBox {
  return {
    seal: (plain) => PREFIX + safeStorage.encryptString(plain).toString('base64'),
    open: (sealed) => {
      if (!sealed.startsWith(PREFIX)) throw new Error('not sealed by safeStorage');
      return safeStorage.decryptString(Buffer.from(sealed.slice(PREFIX.length), 'base64'));
    },
  };
}

/**
 * No password is stored as '' whichever box is in use, so a camera saved without one stays readable
 * when the choice changes later (not stored → key file, or a keyring appears).
 */
function keepEmpty(box: SecretBox): SecretBox {
  return {
    seal: (plain) => (plain === '' ? '' : box.seal(plain)),
    open: (sealed) => (sealed === '' ? '' : box.open(sealed)),
  };
}

/** The user declined the key file: no password is kept (an empty one is, by keepEmpty). */
function notStoredSecretBox(choiceFile: string): SecretBox {
  return {
    seal() {
      throw ContractError.refused('passwords are not stored on this PC (no system keyring, and the key file was declined)', {
        reason: 'secrets.not_stored',
        params: { file: choiceFile },
      });
    },
    open() {
      throw new Error('passwords are not stored on this PC');
    },
  };
}

function readChoice(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** After app ready (safeStorage and the dialog need it), before the core opens. */
export async function chooseSecretBox(userData: string): Promise<SecretBox> {
  const choiceFile = path.join(userData, CHOICE_FILE);
  const keyFile = path.join(userData, SECRET_KEY_FILE);
  const facts: SecretStoreFacts = {
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    backend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
    choice: parseChoice(readChoice(choiceFile)),
  };
  let plan = planSecretStore(facts);
  if (plan.use === 'ask') {
    console.warn(`[secrets] no OS keychain to seal passwords with (${plan.why}): asking how to keep them`);
    const question = consentDialog(plan.why, keyFile);
    const { response } = await dialog.showMessageBox({ type: 'warning', ...question, defaultId: 0, cancelId: 1, noLink: true });
    const choice = choiceOfButton(response);
    fs.mkdirSync(userData, { recursive: true });
    fs.writeFileSync(choiceFile, choiceText(choice, new Date()), { mode: 0o600 });
    plan = planSecretStore({ ...facts, choice });
  }
  const warning = startupWarning(plan, { keyFile, choiceFile });
  if (warning) console.warn(warning);
  switch (plan.use) {
    case 'safe-storage':
      return keepEmpty(safeStorageSecretBox());
    case 'key-file':
      return keepEmpty(fileKeySecretBox(userData));
    case 'not-stored':
    case 'ask':
      return keepEmpty(notStoredSecretBox(choiceFile));
  }
}
