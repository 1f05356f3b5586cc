import { z } from 'zod';
import { because } from './errors';
import { command } from './command';
import { Id, Incident } from '../domain/incident';
import { Attachment, AttachmentMime, ATTACHMENT_MAX_BYTES } from '../domain/attachments';

/** Pictures kept with an incident: result-feedback photos, camera snapshots. */
export const attachmentCommands = {
  /** A photo for the incident (result feedback, the scene); base64, checked against its type. */
  'attachments.add': command(
    z
      .object({
        incidentId: Id,
        name: z.string().trim().min(1, { message: 'required' }).max(200),
        mime: AttachmentMime,
        dataBase64: z
          .string()
          .refine((text) => text.length <= Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4, because('validation.file_too_large', `file over ${ATTACHMENT_MAX_BYTES} bytes`, { max: ATTACHMENT_MAX_BYTES }))
          .refine((text) => /^[A-Za-z0-9+/]*={0,2}$/.test(text), because('validation.not_base64', 'not base64'))
          .refine((text) => text.length % 4 === 0, because('validation.not_base64', 'not base64')),
      })
      .strict(),
    z.object({ attachment: Attachment, incident: Incident }),
  ),
  'attachments.list': command(z.object({ incidentId: Id }).strict(), z.array(Attachment)),
  'attachments.get': command(z.object({ id: Id }).strict(), z.object({ attachment: Attachment, dataBase64: z.string() })),
} as const;
