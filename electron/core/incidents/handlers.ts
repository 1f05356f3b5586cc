import type { Location, incidentCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';

export function incidentsModule(ctx: CoreContext): CoreModule<keyof typeof incidentCommands> {
  const { incidents: store, grids, publish, now } = ctx;

  const gridFor = (location: Location | null, picked: string | null, path: string) => grids.resolve(location, picked, path);
  return {
    handlers: {
      'categories.list': () => store.categories(),
      'incidents.list': ({ filter, offset, limit }) => store.list(filter, offset, limit),
      'incidents.summary': () => {
        const at = now();
        return { ...store.summary(at), now: at };
      },
      'incidents.get': ({ id }) => store.get(id),
      'incidents.create': ({ draft }, { actor }) =>
        publish(store.create({ ...draft, gridId: gridFor(draft.location, draft.gridId, 'draft.gridId') }, actor)),
      'incidents.update': ({ id, expectedVersion, patch }, { actor }) => {
        if (patch.location !== undefined || patch.gridId !== undefined) {
          const location = patch.location !== undefined ? patch.location : store.get(id).incident.location;
          const gridId = gridFor(location, patch.gridId ?? null, 'patch.gridId');
          // A location change carries its grid along; a picked grid on a located incident yields to the location's.
          patch = { ...patch, gridId };
        }
        return publish(store.update(id, expectedVersion, patch, actor));
      },
      'incidents.transition': ({ id, expectedVersion, transition }, { actor }) =>
        publish(store.transition(id, expectedVersion, transition, actor)),
      'incidents.comment': ({ id, text }, { actor }) => publish(store.comment(id, text, actor)),
    },
  };
}
