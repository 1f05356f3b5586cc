import type { systemCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { SCHEMA_VERSION, formatBytes, freeBytes } from '../store';
import { seedGuishanDemo } from '../demo';
import { seedGuishanUnits } from '../workflows';
import { UnitStore } from '../workflows';
import { guishanDemoGrids } from '../map';
import { seedDemoStaff } from '../people';
import { callScope } from '../contract';
import { diagnosticsZip } from './diagnostics';

/** Seeds the Guishan demo into an empty store; 0 when the store already holds incidents. */
export function seedDemo(ctx: CoreContext, actor: string): number {
  if (ctx.incidents.count() > 0) return 0;
  // Demo grids only where the town has none of its own; seeding the incidents then re-grids them.
  const seedGrids = ctx.grids.count() === 0;
  // One transaction: a start killed while seeding leaves the whole demo or none of it (incidents,
  // grids, the directory, the cameras and the "seeded" mark), never a demo without cameras.
  let staffSeeded = false;
  // The generator's closures and assessments are the core's own work, also when an administrator
  // asks for the demo from a window: no co-sign, no own-work rule (the events still name who seeded it).
  const scope = callScope.getStore();
  const asCore = <T,>(fn: () => T): T => (scope ? callScope.run({ ...scope, system: true }, fn) : fn());
  const created = asCore(() => ctx.incidents.write(() => {
    const count = seedGuishanDemo(ctx.incidents, { actor, now: ctx.now() });
    if (seedGrids) ctx.grids.replaceAll(guishanDemoGrids(), { demo: true, at: ctx.now() });
    else ctx.grids.regrid();
    // The directory the escalation sheet recommends from (police station, committees, sites…).
    seedGuishanUnits(new UnitStore(ctx.db, (fn) => ctx.incidents.write(fn)), ctx.now());
    for (const part of ctx.demoParts) part();
    // The demo duty room: one account per role, passwords shown on the login screen of this demo store.
    staffSeeded = seedDemoStaff(ctx.db, ctx.now()) > 0;
    ctx.settings.set('demo.offer', 'seeded');
    return count;
  }));
  if (staffSeeded) ctx.bus.emit('staff.changed', { reason: 'demo' });
  if (seedGrids) ctx.bus.emit('grids.changed', { reason: 'demo', count: ctx.grids.count() });
  ctx.bus.emit('incidents.reloaded', { reason: 'demo' });
  return created;
}

export function systemModule(ctx: CoreContext): CoreModule<keyof typeof systemCommands> {
  const { options, incidents, settings } = ctx;
  return {
    handlers: {
      'system.info': (_input, { actor }) => {
        const incidentCount = incidents.count();
        return {
          version: options.version,
          host: options.host,
          dataDir: options.dataDir,
          schemaVersion: SCHEMA_VERSION,
          // The person logged in at this window (the status bar, the dispatch slip's issuer).
          operator: actor,
          incidentCount,
          offerDemo: !ctx.readOnly && incidentCount === 0 && settings.get('demo.offer') === null,
          readOnly: ctx.readOnly ? { reason: 'disk_full' as const, free: formatBytes(freeBytes(options.dataDir)) } : null,
        };
      },
      'demo.seed': (_input, { actor }) => ({ created: seedDemo(ctx, actor) }),
      'demo.decline': () => {
        settings.set('demo.offer', 'declined');
        return {};
      },
      // Reads the whole chain (10M events: minutes): a job in a worker with its own connection.
      'events.verify': () =>
        ctx.jobs.run('events.verify', (job) => job.inWorker<ReturnType<typeof incidents.eventLog.verify>>('events.verify', {})),
      'outbox.status': () => incidents.eventLog.outboxStatus(),
      'system.diagnostics': (_input, { actor }) => diagnosticsZip(ctx, actor),
    },
  };
}
