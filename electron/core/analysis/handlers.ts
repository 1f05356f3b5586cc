import type { analysisCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { DashboardService } from './dashboard';

/**
 * Coalescing window of `analysis.changed`: a burst of writes (an import, a busy minute) sends one
 * event, and a single write reaches the workspace well inside the 1 s the room expects.
 */
export const ANALYSIS_CHANGE_DELAY_MS = 100;

/** Events after which the figures may have changed. Drill incidents never reach analysis. */
const RELEVANT = new Set(['incident.changed', 'incidents.reloaded', 'workflow.changed', 'units.changed', 'alarms.changed', 'cameras.changed', 'grids.changed']);

export function analysisModule(ctx: CoreContext): CoreModule<keyof typeof analysisCommands> {
  const { db, bus, now } = ctx;
  const dashboard = new DashboardService(db);

  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = bus.on((name, payload) => {
    if (!RELEVANT.has(name)) return;
    if (name === 'incident.changed' && (payload as { incident: { source: string } }).incident.source === 'drill') return;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      bus.emit('analysis.changed', { at: now() });
    }, ANALYSIS_CHANGE_DELAY_MS);
    timer.unref?.();
  });

  return {
    handlers: {
      'analysis.dashboard': (input) => dashboard.dashboard(input, now()),
      'analysis.focus': ({ filter, label }) => {
        bus.emit('analysis.focus', { filter, label });
        return {};
      },
    },
    close: () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
