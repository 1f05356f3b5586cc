import type { jobCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';

export function jobsModule(ctx: CoreContext): CoreModule<keyof typeof jobCommands> {
  return {
    handlers: {
      'jobs.list': () => ({ jobs: ctx.jobs.list() }),
      'jobs.cancel': ({ id }) => ({ cancelled: ctx.jobs.cancel(id) }),
    },
    close: () => ctx.jobs.close(),
  };
}
