import { COSIGNER_PERMISSION, ContractError, permissionsOf, type Cosign, type ErrorParams, type ErrorReason } from '@shared';
import type { ActorRef } from '../contract';
import type { StaffStore } from './staff-store';

/** A refusal beside the co-signer's field (`cosign.staffNo` / `cosign.password`), so the form shows it there. */
function refused(path: 'cosign.staffNo' | 'cosign.password', message: string, reason: ErrorReason, params: ErrorParams = {}): ContractError {
  const detail = Object.keys(params).length ? { reason, params } : { reason };
  return new ContractError({ code: 'forbidden', message, ...detail, issues: [{ path, message, ...detail }] });
}

/**
 * Co-sign (四眼原则): the second person's own credentials, typed on the acting person's screen. The
 * same checks as a login (wrong password, lockout after repeated failures, disabled account) and:
 * not the person acting, holds the co-sign permission, no temporary password pending.
 */
export async function verifyCosigner(staff: StaffStore, cosign: Cosign, actor: ActorRef): Promise<ActorRef> {
  // Refused before the password is checked: no lockout count for naming oneself.
  if (actor.id !== null && staff.idOfStaffNo(cosign.staffNo) === actor.id) {
    throw refused('cosign.staffNo', 'the co-signer cannot be the person acting', 'auth.cosign_self');
  }
  let person;
  try {
    person = await staff.authenticate(cosign.staffNo, cosign.password);
  } catch (error) {
    if (error instanceof ContractError && error.reason) throw refused('cosign.password', error.message, error.reason, error.params);
    throw error;
  }
  if (person.mustChangePassword) throw refused('cosign.password', 'the co-signer must change their password first', 'auth.cosign_password_change');
  if (!permissionsOf(person.roles).has(COSIGNER_PERMISSION)) {
    throw refused('cosign.staffNo', `${person.name} may not co-sign`, 'auth.cosign_forbidden', { name: person.name, roles: person.roles.join(',') });
  }
  return { id: person.id, name: person.name, roles: person.roles };
}
