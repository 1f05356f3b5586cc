/**
 * The early-warning rules on fixed synthetic data: noise (uniform places over the island, random
 * phones and ID numbers, petitioners below the threshold, Poisson(1) weekly counts, units with a few
 * overdue cases) with planted patterns. Each rule must find every planted pattern and stay quiet on
 * the noise; the figures are printed (precision / recall on the set) and asserted.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WARNING_SETTINGS, destinationPoint } from '@shared';
import { categorySpikes, normalise, overduePiles, repeatPersons, repeatPetitioners, repeatPlaces, spikeZ, type Finding, type PersonRow, type PlacePoint, type WeeklySeries } from './rules';

/** mulberry32: the same "random" set on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function poisson(rnd: () => number, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= rnd();
  } while (p > l);
  return k - 1;
}

const S = DEFAULT_WARNING_SETTINGS;
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);

interface Score {
  tp: number;
  fp: number;
  fn: number;
}
/** A finding matches a planted group when it holds at least half of the group's cases. */
function score(findings: Finding[], planted: string[][]): Score {
  const hit = new Set<number>();
  let fp = 0;
  for (const f of findings) {
    const i = planted.findIndex((g) => g.filter((id) => f.caseIds.includes(id)).length * 2 >= g.length);
    if (i < 0) fp++;
    else hit.add(i);
  }
  return { tp: hit.size, fp, fn: planted.length - hit.size };
}
const precision = (s: Score) => (s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1);
const recall = (s: Score) => (s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1);
const report = (rule: string, s: Score) =>
  console.log(`warning rule ${rule}: precision ${precision(s).toFixed(2)}, recall ${recall(s).toFixed(2)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`);

describe('repeat place', () => {
  it(`finds ${S.placeCount}+ cases within ${S.placeRadiusM} m among 200 scattered ones`, () => {
    const rnd = prng(1);
    const points: PlacePoint[] = [];
    // Noise: 200 incidents over the island's box (~5 × 5.5 km), 30 days.
    for (let i = 0; i < 200; i++) points.push({ id: `n${i}`, lon: 113.8 + rnd() * 0.05, lat: 22.11 + rnd() * 0.05, at: NOW - rnd() * 30 * DAY });
    // Planted: 4 places, 4–6 cases each within 40 m of a centre (so within 80 m of each other).
    const planted: string[][] = [];
    for (let g = 0; g < 4; g++) {
      const centre: [number, number] = [113.805 + g * 0.01, 22.12 + g * 0.008];
      const ids: string[] = [];
      for (let k = 0; k < 4 + (g % 3); k++) {
        const [lon, lat] = destinationPoint(centre, rnd() * 360, rnd() * 40);
        ids.push(`p${g}-${k}`);
        points.push({ id: `p${g}-${k}`, lon, lat, at: NOW - rnd() * 20 * DAY });
      }
      planted.push(ids);
    }
    const found = repeatPlaces(points, S.placeCount, S.placeRadiusM);
    const s = score(found, planted);
    report('repeat_place', s);
    expect(recall(s)).toBe(1);
    expect(precision(s)).toBeGreaterThanOrEqual(0.8);
    // Every case of a finding is within the radius of its centre's group, and none is in two findings.
    const all = found.flatMap((f) => f.caseIds);
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('repeat person', () => {
  it('matches the stored phone and ID number across cases, masked, and ignores duty numbers', () => {
    const rnd = prng(2);
    const rows: PersonRow[] = [];
    const phone = () => `13${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
    for (let i = 0; i < 300; i++) {
      rows.push({ incidentId: `n${i}`, kind: 'phone', value: phone() });
      rows.push({ incidentId: `n${i}`, kind: 'id_number', value: `44040019${String(Math.floor(rnd() * 1e10)).padStart(10, '0')}` });
      // Duty lines and "110" are on many cases and are not a person.
      if (i % 10 === 0) rows.push({ incidentId: `n${i}`, kind: 'phone', value: '110' });
    }
    const planted = [
      ['a1', 'a2', 'a3'],
      ['b1', 'b2'],
      ['c1', 'c2'],
    ];
    rows.push({ incidentId: 'a1', kind: 'phone', value: '13800138000' }, { incidentId: 'a2', kind: 'phone', value: '138-0013-8000' }, { incidentId: 'a3', kind: 'phone', value: '138 0013 8000' });
    rows.push({ incidentId: 'b1', kind: 'id_number', value: '44040019900101123x' }, { incidentId: 'b2', kind: 'id_number', value: '44040019900101123X' });
    rows.push({ incidentId: 'c1', kind: 'phone', value: '13912345678' }, { incidentId: 'c2', kind: 'phone', value: '13912345678' });
    // The same person twice on one case is one case.
    rows.push({ incidentId: 'd1', kind: 'phone', value: '13700000001' }, { incidentId: 'd1', kind: 'phone', value: '13700000001' });
    const found = repeatPersons(rows, S.personCases);
    const s = score(found, planted);
    report('repeat_person', s);
    expect([precision(s), recall(s)]).toEqual([1, 1]);
    const a = found.find((f) => f.caseIds.includes('a1'))!;
    expect(a.params).toEqual({ kind: 'phone', masked: '138****8000', count: 3 });
    expect(JSON.stringify(found)).not.toContain('13800138000');
    expect(found.find((f) => f.caseIds.includes('b1'))!.params.masked).toBe('4404**********123X');
    expect(normalise('phone', '+86 138-0013-8000')).toBe('8613800138000');
  });
});

describe('repeat petitioner', () => {
  it(`finds ${S.petitionCount}+ petitions by one person among single and double visits`, () => {
    const rows: { incidentId: string; name: string }[] = [];
    for (let i = 0; i < 60; i++) rows.push({ incidentId: `n${i}`, name: `来访人${i % 40}` }); // 20 names twice, 20 once
    const planted = [
      ['p1', 'p2', 'p3'],
      ['q1', 'q2', 'q3', 'q4'],
    ];
    rows.push(...planted[0]!.map((id) => ({ incidentId: id, name: '梁 国栋' })), ...planted[1]!.map((id) => ({ incidentId: id, name: '何秀英' })));
    const found = repeatPetitioners(rows, S.petitionCount);
    const s = score(found, planted);
    report('repeat_petitioner', s);
    expect([precision(s), recall(s)]).toEqual([1, 1]);
    expect(found.find((f) => f.caseIds.includes('p1'))!.params).toEqual({ name: '梁国栋', count: 3 });
  });
});

describe('category spike', () => {
  it(`z = (x − μ) / √max(μ, 1) ≥ ${S.spikeZ} and x ≥ ${S.spikeMinCount}: planted spikes among 200 Poisson(1) series`, () => {
    expect(spikeZ([1, 1, 1, 1, 1, 1, 1, 1, 5])).toEqual({ x: 5, mean: 1, z: 4 });
    expect(spikeZ([4, 4, 4, 4, 4, 4, 4, 4, 12]).z).toBe(4);
    const rnd = prng(3);
    const series: WeeklySeries[] = [];
    for (let g = 0; g < 20; g++)
      for (let c = 0; c < 10; c++) series.push({ grid: `G${g}`, category: `c${c}`, weeks: Array.from({ length: 9 }, () => poisson(rnd, 1)) });
    // Planted: this week far above the grid's own baseline (one with a busy baseline of ~4 a week).
    const planted = [
      { grid: 'S1', category: 'dispute', weeks: [1, 0, 2, 1, 1, 0, 1, 2, 8] },
      { grid: 'S2', category: 'fire', weeks: [0, 0, 1, 0, 0, 1, 0, 0, 6] },
      { grid: 'S3', category: 'traffic', weeks: [4, 3, 5, 4, 4, 3, 5, 4, 14] },
    ];
    // Busy but steady: not a spike.
    series.push({ grid: 'B', category: 'traffic', weeks: [9, 11, 10, 9, 12, 10, 11, 10, 13] }, ...planted);
    const found = categorySpikes(series, S);
    const tp = found.filter((f) => planted.some((p) => p.grid === f.params.grid)).length;
    const s = { tp, fp: found.length - tp, fn: planted.length - tp };
    report('category_spike', s);
    expect(recall(s)).toBe(1);
    expect(precision(s)).toBeGreaterThanOrEqual(0.75);
    expect(found.find((f) => f.params.grid === 'S1')!.baseline).toEqual(planted[0]!.weeks);
  });
});

describe('overdue pile', () => {
  it(`finds a unit with ${S.overdueCount}+ overdue cases among units with a few`, () => {
    const rows: { unit: string; incidentId: string }[] = [];
    for (let u = 0; u < 12; u++) for (let k = 0; k < u % 4; k++) rows.push({ unit: `单位${u}`, incidentId: `n${u}-${k}` });
    const planted = [Array.from({ length: 7 }, (_, k) => `pile-${k}`)];
    rows.push(...planted[0]!.map((id) => ({ unit: '桂山边防派出所', incidentId: id })));
    // Unassigned overdue cases are not "a unit".
    for (let k = 0; k < 9; k++) rows.push({ unit: '', incidentId: `u${k}` });
    const found = overduePiles(rows, S.overdueCount);
    const s = score(found, planted);
    report('overdue_pile', s);
    expect([precision(s), recall(s)]).toEqual([1, 1]);
  });
});
