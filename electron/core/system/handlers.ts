import type { systemCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { SCHEMA_VERSION } from '../store';
import { seedGuishanDemo } from '../demo';
import { seedGuishanUnits } from '../workflows';
import { UnitStore } from '../workflows';
import { guishanDemoGrids } from '../map';

/** Seeds the Guishan demo into an empty store; 0 when the store already holds incidents. */
export function seedDemo(ctx: CoreContext, actor: string): number {
  if (ctx.incidents.count() > 0) return 0;
  // Demo grids only where the town has none of its own; seeding the incidents then re-grids them.
  const seedGrids = ctx.grids.count() === 0;
  const created = ctx.incidents.write(() => {
    const count = seedGuishanDemo(ctx.incidents, { actor, now: ctx.now() });
    if (seedGrids) ctx.grids.replaceAll(guishanDemoGrids(), { demo: true, at: ctx.now() });
    else ctx.grids.regrid();
    return count;
  });
  // The directory the escalation sheet recommends from (police station, committees, sites…).
  seedGuishanUnits(new UnitStore(ctx.db, (fn) => ctx.incidents.write(fn)), ctx.now());
  ctx.settings.set('demo.offer', 'seeded');
  if (seedGrids) ctx.bus.emit('grids.changed', { reason: 'demo', count: ctx.grids.count() });
  ctx.bus.emit('incidents.reloaded', { reason: 'demo' });
  return created;
}

export function systemModule(ctx: CoreContext): CoreModule<keyof typeof systemCommands> {
  const { options, incidents, settings } = ctx;
  return {
    handlers: {
      'system.info': () => {
        const incidentCount = incidents.count();
        return {
          version: options.version,
          host: options.host,
          dataDir: options.dataDir,
          schemaVersion: SCHEMA_VERSION,
          operator: options.operator,
          incidentCount,
          offerDemo: incidentCount === 0 && settings.get('demo.offer') === null,
        };
      },
      'demo.seed': (_input, { actor }) => ({ created: seedDemo(ctx, actor) }),
      'demo.decline': () => {
        settings.set('demo.offer', 'declined');
        return {};
      },
      'events.verify': () => incidents.eventLog.verify(),
      'outbox.status': () => incidents.eventLog.outboxStatus(),
    },
  };
}
