import { AsyncLocalStorage } from 'node:async_hooks';
import { ContractError, type CosignAct, type Permission, type Role } from '@shared';

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
  /** The second person who confirmed this call with their own credentials (co-sign), verified by the dispatcher. */
  cosigner: ActorRef | null;
  /** An in-process call (core.dispatch: the demo at start, tests' set-up, the bench): no co-sign asked. */
  system: boolean;
  /** The command being run (the log names it when a job or a listener fails under it). */
  command?: string;
}
export const callScope = new AsyncLocalStorage<CallScope>();

/**
 * Where the stored state decides that an act needs a second person (an early release, mediation
 * going to county, a term past the hard-case term): throws auth.cosign_required unless the call
 * carries a verified co-signer. Call it inside the write transaction, before anything is written,
 * so a refusal changes nothing. The core's own work (no call being served) and in-process calls pass.
 */
export function requireCosign(act: CosignAct): void {
  const scope = callScope.getStore();
  if (!scope || scope.system || scope.cosigner) return;
  throw cosignRequired(act);
}

export function cosignRequired(act: CosignAct): ContractError {
  return ContractError.forbidden(`${act} needs a second person to confirm (co-sign)`, { reason: 'auth.cosign_required', params: { act } });
}

export function actorOf(session: SessionState): ActorRef {
  return { id: session.staffId, name: session.name, roles: session.roles };
}

