import type { recoveryCommands, StoreCheck } from '@shared';
import { ContractError } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { backupFolderOf } from './recovery';

/** Nightly full check at this local hour. */
const NIGHTLY_HOUR = 3;

function msUntilNextNight(now: number): number {
  const next = new Date(now);
  next.setHours(NIGHTLY_HOUR, 0, 0, 0);
  if (next.getTime() <= now) next.setDate(next.getDate() + 1);
  return next.getTime() - now;
}

/**
 * The serving core's side of a damaged store: its state for the recovery screen, and the full check
 * (integrity + chain) as a job, on demand (store.check), nightly, and right after a start whose
 * store was too large for the bounded quick check. A failed check stops writes (store.corrupt).
 */
export function recoveryModule(ctx: CoreContext, options: { fullCheckAtStart: boolean }): CoreModule<keyof typeof recoveryCommands> {
  const mark = (problem: string) => {
    if (ctx.corrupt !== null) return;
    (ctx as { corrupt: string | null }).corrupt = problem;
    ctx.bus.emit('store.corrupted', { problem });
  };
  const fullCheck = async (): Promise<StoreCheck> => {
    const result = await ctx.jobs.run('store.check', (job) => job.inWorker<StoreCheck>('store.check', {}));
    if (!result.ok) mark(result.integrity !== 'ok' ? `integrity check: ${result.integrity}` : `hash chain broken at event ${result.firstBadSeq}`);
    return result;
  };
  const background = () => {
    fullCheck().catch(() => {
      // Cancelled or the core closed: the next night tries again.
    });
  };
  let timer: ReturnType<typeof setTimeout> | null = null;
  const schedule = () => {
    timer = setTimeout(() => {
      background();
      schedule();
    }, msUntilNextNight(ctx.now()));
    timer.unref?.();
  };
  if (!ctx.readOnly) {
    schedule();
    if (options.fullCheckAtStart) setTimeout(background, 1_000).unref?.();
  }
  return {
    handlers: {
      'recovery.status': () => ({
        state: ctx.corrupt === null ? ('ok' as const) : ('corrupt' as const),
        problem: ctx.corrupt,
        dataDir: ctx.options.dataDir,
        backupFolder: backupFolderOf(ctx.options),
        backups: [],
      }),
      'recovery.restore': () => {
        throw ContractError.refused('the store passed its check at start; restore it from the command line with the console closed', {
          reason: 'recovery.not_needed',
          params: {},
        });
      },
      'store.check': () => fullCheck(),
    },
    close: () => {
      if (timer) clearTimeout(timer);
    },
  };
}
