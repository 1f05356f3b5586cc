import { z } from 'zod';
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
          .max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4, { message: `file over ${ATTACHMENT_MAX_BYTES} bytes` })
          .regex(/^[A-Za-z0-9+/]*={0,2}$/, { message: 'not base64' })
          .refine((text) => text.length % 4 === 0, { message: 'not base64' }),
      })
      .strict(),
    z.object({ attachment: Attachment, incident: Incident }),
  ),
  'attachments.list': command(z.object({ incidentId: Id }).strict(), z.array(Attachment)),
  'attachments.get': command(z.object({ id: Id }).strict(), z.object({ attachment: Attachment, dataBase64: z.string() })),
} as const;
