import { ContractError, type LinkConfigView, type ParsedInput } from '@shared';
import type { SettingsStore } from '../store';

/** Seals secrets (the cameras' SecretBox: safeStorage in Electron, a user-only key file in the Node host). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

type ConfigInput = ParsedInput<'uplink.configure'>['config'];

/** As stored in settings: the password and the client key only in the SecretBox's sealed form. */
interface StoredConfig extends Omit<LinkConfigView, 'hasPassword' | 'hasKey'> {
  passwordSealed: string;
  keySealed: string;
}

/** Everything the link needs to connect, secrets opened. */
export interface LinkConfig extends Omit<LinkConfigView, 'hasPassword' | 'hasKey'> {
  password: string;
  key: string;
  /** The demo's in-process broker and reference city (not stored). */
  demo: boolean;
}

const CONFIG_KEY = 'uplink.config';
const SWITCH_KEY = 'uplink.switch';

/** The link's settings in the store's settings table; secrets sealed like camera passwords. */
export class LinkSettings {
  constructor(
    private readonly settings: SettingsStore,
    private readonly box: Sealer,
  ) {}

  private stored(): StoredConfig | null {
    const raw = this.settings.get(CONFIG_KEY);
    return raw ? (JSON.parse(raw) as StoredConfig) : null;
  }

  view(): LinkConfigView | null {
    const s = this.stored();
    if (!s) return null;
    const { passwordSealed, keySealed, ...rest } = s;
    return { ...rest, hasPassword: passwordSealed !== '', hasKey: keySealed !== '' };
  }

  /** The stored configuration with its secrets opened; refused when they cannot be opened here. */
  load(): LinkConfig | null {
    const s = this.stored();
    if (!s) return null;
    const { passwordSealed, keySealed, ...rest } = s;
    try {
      return {
        ...rest,
        password: passwordSealed ? this.box.open(passwordSealed) : '',
        key: keySealed ? this.box.open(keySealed) : '',
        demo: false,
      };
    } catch {
      throw ContractError.refused('the stored link secrets cannot be opened on this PC', { reason: 'uplink.secret_unreadable' });
    }
  }

  save(input: ConfigInput): void {
    const previous = this.stored();
    const seal = (value: string | undefined, kept: string | undefined) =>
      value === undefined ? (kept ?? '') : value === '' ? '' : this.box.seal(value);
    const stored: StoredConfig = {
      url: input.url.replace(/\/$/, ''),
      town: input.town,
      topicRoot: input.topicRoot,
      mqttVersion: input.mqttVersion,
      username: input.username,
      passwordSealed: seal(input.password, previous?.passwordSealed),
      ca: input.ca,
      cert: input.cert,
      keySealed: seal(input.key, previous?.keySealed),
      drills: input.drills,
      sessionExpiryHours: input.sessionExpiryHours,
    };
    if (stored.cert && !stored.keySealed) {
      throw ContractError.field('config.key', 'uplink.key_required', 'a client certificate needs its key');
    }
    this.settings.set(CONFIG_KEY, JSON.stringify(stored));
  }

  switchedOn(): boolean {
    return this.settings.get(SWITCH_KEY) !== 'off';
  }

  setSwitch(on: boolean): void {
    this.settings.set(SWITCH_KEY, on ? 'on' : 'off');
  }
}
