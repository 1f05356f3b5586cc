/**
 * Workflow figures measured on the incident suite's store (so at 1M incidents): the one-click
 * escalation command and the next step on it, through the Dispatcher as a window calls them, and
 * the statistics for a year (reported / completed / rate / time to close per grid, category, unit).
 */
import { addDays, shanghaiDate, type CommandInput, type CommandName, type CommandOutput } from '@shared';
import { time, type Measurement, type TimeOptions } from './stats';

export const WORKFLOW_TARGET = { escalate: 5, statsYear: 20 } as const;

type Call = <N extends CommandName>(name: N, input: CommandInput<N>) => Promise<CommandOutput<N>>;

export async function measureWorkflows(
  call: Call,
  opts: (targetP95Ms?: number, note?: string) => TimeOptions,
  incidents: readonly { id: string }[],
  info: Record<string, unknown>,
): Promise<Measurement[]> {
  const out: Measurement[] = [];
  const police = await call('units.create', { draft: { kind: 'police_station', name: `基准测试派出所 ${Date.now().toString(36)}`, phone: '0756-8830110', radioChannel: '治安 3 频道' } });
  const workflows: { id: string; version: number }[] = [];
  out.push(
    await time('command: escalate to police (dispatch)', opts(WORKFLOW_TARGET.escalate, 'workflow row + incident event in one transaction'), async (i) => {
      const { workflow } = await call('workflows.escalate', {
        incidentId: incidents[i % incidents.length]!.id,
        escalation: { kind: 'police', unitId: police.id, ask: '请出警核查' },
      });
      workflows.push({ id: workflow.id, version: workflow.version });
    }),
  );
  out.push(
    await time('command: police acknowledges (dispatch)', opts(WORKFLOW_TARGET.escalate), (i) =>
      call('workflows.step', { id: workflows[i]!.id, expectedVersion: workflows[i]!.version, step: { action: 'acknowledge', note: '' } }),
    ),
  );
  const to = shanghaiDate(Date.now());
  const from = addDays(to, -364);
  const year = await call('stats.query', { from, to });
  info.statsYear = { from, to, total: year.total, grids: year.byGrid.length, categories: year.byCategory.length, units: year.byUnit.length };
  out.push(await time('statistics: a year by grid, category and unit (dispatch)', opts(WORKFLOW_TARGET.statsYear, `${from} – ${to}`), () => call('stats.query', { from, to })));
  out.push(await time('supervision list (dispatch)', opts(undefined, 'overdue and due within 24 h, by unit and grid'), () => call('supervision.list', {})));
  return out;
}
