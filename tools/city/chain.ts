import { createHash } from 'node:crypto';

export const GENESIS = '0'.repeat(64);

/**
 * The town's event hash, written again here from the protocol's description (not imported from the
 * console) so the city checks the town's chain with an independent implementation:
 * sha256(seq ␟ id ␟ incidentId ␟ type ␟ actor ␟ at ␟ payload ‖ prevHash bytes).
 */
export function townEventHash(e: { seq: number; id: string; incidentId: string; type: string; actor: string; at: number; payload: string; prevHash: string }): string {
  return createHash('sha256')
    .update([e.seq, e.id, e.incidentId, e.type, e.actor, e.at, e.payload].join('\u001f'))
    .update(Buffer.from(e.prevHash, 'hex'))
    .digest('hex');
}
