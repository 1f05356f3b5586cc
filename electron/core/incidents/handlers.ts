import type { incidentCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';

export function incidentsModule(ctx: CoreContext): CoreModule<keyof typeof incidentCommands> {
  const { incidents: store, publish, now } = ctx;
  return {
    handlers: {
      'categories.list': () => store.categories(),
      'incidents.list': ({ filter, offset, limit }) => store.list(filter, offset, limit),
      'incidents.summary': () => {
        const at = now();
        return { ...store.summary(at), now: at };
      },
      'incidents.get': ({ id }) => store.get(id),
      'incidents.create': ({ draft }, { actor }) => publish(store.create(draft, actor)),
      'incidents.update': ({ id, expectedVersion, patch }, { actor }) => publish(store.update(id, expectedVersion, patch, actor)),
      'incidents.transition': ({ id, expectedVersion, transition }, { actor }) =>
        publish(store.transition(id, expectedVersion, transition, actor)),
      'incidents.comment': ({ id, text }, { actor }) => publish(store.comment(id, text, actor)),
    },
  };
}
