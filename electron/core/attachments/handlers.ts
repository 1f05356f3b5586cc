import type { attachmentCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';

export function attachmentsModule(ctx: CoreContext): CoreModule<keyof typeof attachmentCommands> {
  const { attachments } = ctx;
  return {
    handlers: {
      'attachments.add': ({ incidentId, name, mime, dataBase64 }, { actor }) => {
        const { change, attachment } = attachments.add(incidentId, name, mime, Buffer.from(dataBase64, 'base64'), actor, ctx.now());
        return { incident: ctx.publish(change), attachment };
      },
      'attachments.list': ({ incidentId }) => attachments.list(incidentId),
      'attachments.get': ({ id }) => {
        const { attachment, data } = attachments.get(id);
        return { attachment, dataBase64: data.toString('base64') };
      },
    },
  };
}
