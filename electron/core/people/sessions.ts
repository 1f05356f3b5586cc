import { randomBytes } from 'node:crypto';
import { permissionsOf, type Session, type Staff } from '@shared';
import type { SessionState } from '../contract';

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
