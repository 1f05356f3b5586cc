import { ContractError, JOB_PERMISSIONS, type jobCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';

export function jobsModule(ctx: CoreContext): CoreModule<keyof typeof jobCommands> {
  return {
    handlers: {
      'jobs.list': () => ({ jobs: ctx.jobs.list() }),
      'jobs.cancel': ({ id }, call) => {
        const job = ctx.jobs.list().find((entry) => entry.id === id);
        if (!job) return { cancelled: false };
        // Whoever may start this kind of work may stop it (a grid import: map.manage); others may only watch.
        const needed = JOB_PERMISSIONS[job.kind];
        if (!call.conn.system && !call.conn.session?.permissions.has(needed)) {
          throw ContractError.forbidden(`cancelling ${job.kind} needs the permission ${needed}`, { reason: 'auth.forbidden', params: { permission: needed } });
        }
        return { cancelled: ctx.jobs.cancel(id) };
      },
    },
    close: () => ctx.jobs.close(),
  };
}
