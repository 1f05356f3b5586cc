import type { Warning, analysisCommands, warningCommands } from '@shared';
import type { CoreContext, CoreModule } from '../context';
import { DashboardService } from './dashboard';
import { WarningService } from './warnings';

/** Warnings are re-evaluated at most this often after changes (each evaluation reads the rules' windows). */
export const WARNING_EVALUATION_MS = 2_000;

const RULE_TITLES: Record<Warning['rule'], (p: Warning['params']) => string> = {
  repeat_place: (p) => `研判预警：同一地点 ${p.radius} 米内 ${p.count} 起事件`,
  repeat_person: (p) => `研判预警：同一${p.kind === 'phone' ? '电话' : '证件号'} ${p.masked} 涉及 ${p.count} 起事件`,
  repeat_petitioner: (p) => `研判预警：${p.name} 重复信访 ${p.count} 次`,
  category_spike: (p) => `研判预警：网格 ${p.grid} 本周 ${p.count} 起，高于基线（z = ${p.z}）`,
  overdue_pile: (p) => `研判预警：${p.unit} 积压超期 ${p.count} 件`,
};

/**
 * Coalescing window of `analysis.changed`: a burst of writes (an import, a busy minute) sends one
 * event, and a single write reaches the workspace well inside the 1 s the room expects.
 */
export const ANALYSIS_CHANGE_DELAY_MS = 100;

/** Events after which the figures may have changed. Drill incidents never reach analysis. */
const RELEVANT = new Set(['incident.changed', 'incidents.reloaded', 'workflow.changed', 'units.changed', 'alarms.changed', 'cameras.changed', 'grids.changed']);

export function analysisModule(ctx: CoreContext): CoreModule<keyof typeof analysisCommands | keyof typeof warningCommands> {
  const { db, bus, now } = ctx;
  const dashboard = new DashboardService(db);
  const warnings = new WarningService(db, ctx.settings);

  let warningTimer: ReturnType<typeof setTimeout> | null = null;
  let lastEvaluation = 0;
  const evaluate = () => {
    lastEvaluation = Date.now();
    try {
      const { open, fresh, changed } = warnings.evaluate(now());
      if (changed) bus.emit('warnings.changed', { open, fresh });
    } catch (error) {
      ctx.log.error('warning evaluation failed', { domain: 'analysis', err: error });
    }
  };
  const scheduleWarnings = () => {
    if (warningTimer) return;
    const wait = Math.max(0, lastEvaluation + WARNING_EVALUATION_MS - Date.now());
    warningTimer = setTimeout(() => {
      warningTimer = null;
      evaluate();
    }, wait);
    warningTimer.unref?.();
  };

  let timer: ReturnType<typeof setTimeout> | null = null;
  const unsubscribe = bus.on((name, payload) => {
    if (!RELEVANT.has(name)) return;
    if (name === 'incident.changed' && (payload as { incident: { source: string } }).incident.source === 'drill') return;
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      bus.emit('analysis.changed', { at: now() });
      scheduleWarnings();
    }, ANALYSIS_CHANGE_DELAY_MS);
    timer.unref?.();
  });
  // After an opened case or a dismissal the operator inboxes reload too.
  const warningChanged = <T,>(value: T): T => {
    const { open } = warnings.evaluate(now());
    bus.emit('warnings.changed', { open, fresh: 0 });
    return value;
  };

  return {
    handlers: {
      'analysis.dashboard': (input) => dashboard.dashboard(input, now()),
      'analysis.focus': ({ filter, label }) => {
        bus.emit('analysis.focus', { filter, label });
        return {};
      },
      'warnings.list': ({ includeClosed }) => {
        const at = now();
        const { fresh, open, changed } = warnings.evaluate(at);
        if (changed) bus.emit('warnings.changed', { open, fresh });
        return { warnings: warnings.list(includeClosed), now: at };
      },
      'warnings.settings': () => warnings.settings(),
      'warnings.updateSettings': ({ settings }) => warningChanged(warnings.updateSettings(settings)),
      'warnings.dismiss': ({ id, reason }, { actor }) => warningChanged(warnings.dismiss(id, reason, actor, now())),
      'warnings.assign': ({ id, assignee }, { actor }) => warningChanged(warnings.assign(id, assignee, actor, now())),
      'warnings.openCase': ({ id }, { actor }) => {
        const warning = warnings.requireOpenWarning(id);
        const at = now();
        const category = warning.rule === 'category_spike' ? String(warning.params.category) : warning.rule === 'repeat_petitioner' ? 'petition' : 'other';
        const located = warning.cases.find((c) => c.location);
        const change = ctx.incidents.create(
          {
            category: ctx.incidents.categories().some((c) => c.code === category) ? category : 'other',
            title: RULE_TITLES[warning.rule](warning.params).slice(0, 200),
            description: ['由研判预警生成。关联事件：', ...warning.cases.map((c) => `${c.code} ${c.title}`)].join('\n').slice(0, 5000),
            location: located?.location ?? null,
            gridId: located?.gridId ?? null,
            source: 'grid_report',
            priority: 2,
            reporter: '研判预警',
            occurredAt: at,
          },
          actor,
          at,
        );
        const incident = ctx.publish(change);
        return warningChanged({ warning: warnings.markCase(id, incident.id, actor, at), incidentId: incident.id });
      },
    },
    close: () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      if (warningTimer) clearTimeout(warningTimer);
      warningTimer = null;
      timer = null;
    },
  };
}
