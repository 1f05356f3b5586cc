import { describe, expect, it } from 'vitest';
import { parseArgs, spreadRows } from '../../bench/repeat';
import { figure, measurement, type SuiteResult } from '../../bench/stats';

describe('bench --repeat', () => {
  it('reads suites and the number of runs in either spelling, and refuses nonsense', () => {
    expect(parseArgs(['--', 'video-wall', 'map-render', '--repeat', '3'])).toEqual({ names: ['video-wall', 'map-render'], repeat: 3, help: false });
    expect(parseArgs(['incidents', '--repeat=2'])).toEqual({ names: ['incidents'], repeat: 2, help: false });
    expect(parseArgs([])).toEqual({ names: [], repeat: 1, help: false });
    expect(parseArgs(['--help'])).toMatchObject({ help: true });
    for (const bad of [['--repeat'], ['--repeat', '0'], ['--repeat', '1.5'], ['--repeat=x'], ['--repeat', '21']]) {
      expect(parseArgs(bad), bad.join(' ')).toEqual({ error: expect.stringContaining('--repeat') });
    }
    expect(parseArgs(['--fast'])).toEqual({ error: 'unknown option --fast' });
  });

  it('puts each run side by side, and a target is met only when every run meets it', () => {
    const run = (p95: number, dropped: number): SuiteResult => ({
      suite: 's',
      ok: true,
      durationMs: 1,
      measurements: [measurement('latency', [p95], { targetP95Ms: 300 }), measurement('info only', [1])],
      figures: [figure('dropped', dropped, '%', { max: 0.01 }), figure('ratio', 2, '×')],
      info: {},
    });
    const rows = spreadRows([run(250, 0.002), run(310, 0.004), run(280, 0.02)]);
    expect(rows.map((r) => [r.name, r.values, r.pass])).toEqual([
      ['latency (p95)', [250, 310, 280], false],
      ['info only (p95)', [1, 1, 1], undefined],
      ['dropped', [0.002, 0.004, 0.02], false],
      ['ratio', [2, 2, 2], undefined],
    ]);
    expect(rows[2]!.format(0.02)).toBe('2.00 %');
    expect(spreadRows([run(250, 0.002), run(260, 0.003)]).map((r) => r.pass)).toEqual([true, undefined, true, undefined]);
  });
});
