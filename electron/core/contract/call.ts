import { AsyncLocalStorage } from 'node:async_hooks';
import type { Permission, Role } from '@shared';

/*
 * Who is calling: a window's session and the person acting in the call being served. Kept in the
 * contract room (below the domains) so the event log and the people room can both read it.
 */

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

