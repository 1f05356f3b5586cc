import { z } from 'zod';
import { Id } from './incident';

/**
 * Pictures kept with an incident: the unit's result-feedback photos, the scene, camera snapshots.
 * Kept in the local data directory, so they are there offline; the renderer scales photos down
 * before sending, so one stays small as base64 on the transport.
 */
export const ATTACHMENT_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export const AttachmentMime = z.enum(ATTACHMENT_MIMES);
export type AttachmentMime = z.infer<typeof AttachmentMime>;
export const ATTACHMENT_MAX_BYTES = 700_000;

export const Attachment = z.object({
  id: Id,
  incidentId: Id,
  name: z.string(),
  mime: AttachmentMime,
  bytes: z.number().int(),
  sha256: z.string(),
  actor: z.string(),
  at: z.number().int(),
});
export type Attachment = z.infer<typeof Attachment>;

/** The file's first bytes must say what its type claims (a renamed file is refused). */
export function sniffImage(bytes: Uint8Array): AttachmentMime | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...Array.from(bytes.subarray(from, to)));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}
