import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import { permissionsOf, type Permission, type Role, type Session, type Staff } from '@shared';

/** Who acts in a call: recorded on every event appended while the call runs. */
export interface ActorRef {
  id: string | null;
  name: string;
  roles: Role[];
}

export interface SessionState {
  token: string;
  staffId: string;
  staffNo: string;
  name: string;
  roles: Role[];
  permissions: Set<Permission>;
  locked: boolean;
  mustChangePassword: boolean;
  startedAt: number;
  expiresAt: number;
}

/** One window (a WebSocket, a BrowserWindow's webContents, a test's memory pair): its session, if any. */
export interface ConnectionSlot {
  /** Shown in the audit view: `ws#3 127.0.0.1`, `ipc#2`, `memory#1`. */
  readonly window: string;
  session: SessionState | null;
  /** In-process calls (demo seed at start, tests' set-up, the bench): every permission, never audited as a window. */
  readonly system?: boolean;
}

/** The call being served; EventLog.append reads it (AsyncLocalStorage, so awaits in handlers keep it). */
export interface CallScope {
  actor: ActorRef;
  cosigner: ActorRef | null;
}
export const callScope = new AsyncLocalStorage<CallScope>();

export function actorOf(session: SessionState): ActorRef {
  return { id: session.staffId, name: session.name, roles: session.roles };
}

export function sessionView(session: SessionState): Session {
  return {
    token: session.token,
    staff: { id: session.staffId, staffNo: session.staffNo, name: session.name, roles: session.roles },
    permissions: [...session.permissions],
    locked: session.locked,
    mustChangePassword: session.mustChangePassword,
    startedAt: session.startedAt,
    expiresAt: session.expiresAt,
  };
}

/**
 * Live sessions, by token, in memory: a host restart logs every window out (they log in again).
 * A window's token lets it resume after a reconnect; closing or logging out ends it.
 */
export class SessionManager {
  private readonly byToken = new Map<string, SessionState>();

  constructor(
    private readonly now: () => number,
    private readonly maxAgeMs: number,
  ) {}

  start(staff: Staff): SessionState {
    const at = this.now();
    const session: SessionState = {
      token: randomBytes(32).toString('base64url'),
      staffId: staff.id,
      staffNo: staff.staffNo,
      name: staff.name,
      roles: staff.roles,
      permissions: permissionsOf(staff.roles),
      locked: false,
      mustChangePassword: staff.mustChangePassword,
      startedAt: at,
      expiresAt: at + this.maxAgeMs,
    };
    this.byToken.set(session.token, session);
    return session;
  }

  /** The live session of a token; an expired one is ended here. */
  find(token: string): SessionState | null {
    const session = this.byToken.get(token);
    if (!session) return null;
    if (this.expired(session)) {
      this.byToken.delete(token);
      return null;
    }
    return session;
  }

  expired(session: SessionState): boolean {
    return this.now() >= session.expiresAt || !this.byToken.has(session.token);
  }

  end(session: SessionState): void {
    this.byToken.delete(session.token);
  }

  /** After an account changes: roles and names follow at once; a disabled person's sessions end. */
  refresh(staff: Staff): void {
    for (const session of this.byToken.values()) {
      if (session.staffId !== staff.id) continue;
      if (!staff.active) {
        this.byToken.delete(session.token);
        continue;
      }
      session.name = staff.name;
      session.roles = staff.roles;
      session.permissions = permissionsOf(staff.roles);
      session.mustChangePassword = staff.mustChangePassword;
    }
  }

  /** A reset password: the person's open sessions end (they log in with the new one). */
  endAllOf(staffId: string): void {
    for (const session of this.byToken.values()) if (session.staffId === staffId) this.byToken.delete(session.token);
  }
}
