/**
 * The early-warning rules as pure functions over plain rows, so they are tested on fixed synthetic
 * data (rules.test.ts: planted patterns in noise, with precision and recall). warnings.ts loads the
 * rows from the store and keeps the findings.
 */
import { createHash } from 'node:crypto';
import { distanceMeters, maskIdNumber, maskPhone, type WarningRule, type WarningSettings } from '@shared';

export interface Finding {
  rule: WarningRule;
  key: string;
  params: Record<string, string | number>;
  caseIds: string[];
  baseline: number[] | null;
}

const hash = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

export interface PlacePoint {
  id: string;
  lon: number;
  lat: number;
  at: number;
}

/**
 * Repeat place: groups of at least `count` incidents within `radiusM` of one incident (the group's
 * centre). Points are hashed into cells one radius wide, so each point compares with its 3 × 3
 * neighbourhood only; groups are taken greedily, densest first, and a point joins one group.
 */
export function repeatPlaces(points: readonly PlacePoint[], count: number, radiusM: number): Finding[] {
  if (!points.length) return [];
  const latStep = radiusM / 111_320;
  const lonStep = radiusM / (111_320 * Math.cos((points[0]!.lat * Math.PI) / 180));
  const cellOf = (p: PlacePoint) => [Math.floor(p.lon / lonStep), Math.floor(p.lat / latStep)] as const;
  const cells = new Map<string, number[]>();
  points.forEach((p, i) => {
    const [x, y] = cellOf(p);
    const key = `${x}:${y}`;
    (cells.get(key) ?? cells.set(key, []).get(key)!).push(i);
  });
  const neighbours = points.map((p) => {
    const [x, y] = cellOf(p);
    const out: number[] = [];
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++)
        for (const j of cells.get(`${x + dx}:${y + dy}`) ?? []) {
          if (distanceMeters([p.lon, p.lat], [points[j]!.lon, points[j]!.lat]) <= radiusM) out.push(j);
        }
    return out; // includes the point itself
  });
  const order = points.map((_, i) => i).sort((a, b) => neighbours[b]!.length - neighbours[a]!.length || points[a]!.at - points[b]!.at);
  const used = new Set<number>();
  const findings: Finding[] = [];
  for (const i of order) {
    if (used.has(i) || neighbours[i]!.length < count) continue;
    const group = neighbours[i]!.filter((j) => !used.has(j));
    if (group.length < count) continue;
    for (const j of group) used.add(j);
    const members = group.map((j) => points[j]!).sort((a, b) => a.at - b.at);
    const centre = points[i]!;
    findings.push({
      rule: 'repeat_place',
      // Anchored on the earliest case: the warning keeps its identity (and a dismissal) as cases join.
      key: `repeat_place:${members[0]!.id}`,
      params: { count: members.length, radius: radiusM, lon: Number(centre.lon.toFixed(5)), lat: Number(centre.lat.toFixed(5)) },
      caseIds: members.map((m) => m.id),
      baseline: null,
    });
  }
  return findings;
}

export interface PersonRow {
  incidentId: string;
  kind: 'phone' | 'id_number';
  value: string;
}

/** Only digits for phones, upper case without spaces for ID numbers: the stored values, compared as such. */
export function normalise(kind: PersonRow['kind'], value: string): string {
  return kind === 'phone' ? value.replace(/\D/g, '') : value.replace(/\s/g, '').toUpperCase();
}

/**
 * Repeat person: the same phone or ID number in at least `minCases` different incidents. Short
 * phone numbers (110, duty lines, under 7 digits) are not a person. The key holds a hash, and the
 * finding only the masked value, so no full number leaves the store through a warning.
 */
export function repeatPersons(rows: readonly PersonRow[], minCases: number): Finding[] {
  const groups = new Map<string, { kind: PersonRow['kind']; value: string; ids: Set<string> }>();
  for (const r of rows) {
    const value = normalise(r.kind, r.value);
    if (!value || (r.kind === 'phone' && value.length < 7) || (r.kind === 'id_number' && value.length < 6)) continue;
    const key = `${r.kind}:${value}`;
    const g = groups.get(key) ?? groups.set(key, { kind: r.kind, value, ids: new Set() }).get(key)!;
    g.ids.add(r.incidentId);
  }
  return [...groups.entries()]
    .filter(([, g]) => g.ids.size >= minCases)
    .map(([key, g]) => ({
      rule: 'repeat_person' as const,
      key: `repeat_person:${hash(key)}`,
      params: { kind: g.kind, masked: g.kind === 'phone' ? maskPhone(g.value) : maskIdNumber(g.value), count: g.ids.size },
      caseIds: [...g.ids],
      baseline: null,
    }));
}

/** Repeat petitioner: the same petitioner (name as recorded) on at least `min` petitions. */
export function repeatPetitioners(rows: readonly { incidentId: string; name: string }[], min: number): Finding[] {
  const groups = new Map<string, { name: string; ids: Set<string> }>();
  for (const r of rows) {
    const name = r.name.replace(/\s/g, '');
    if (!name) continue;
    const g = groups.get(name) ?? groups.set(name, { name, ids: new Set() }).get(name)!;
    g.ids.add(r.incidentId);
  }
  return [...groups.values()]
    .filter((g) => g.ids.size >= min)
    .map((g) => ({
      rule: 'repeat_petitioner' as const,
      key: `repeat_petitioner:${hash(g.name)}`,
      params: { name: g.name, count: g.ids.size },
      caseIds: [...g.ids],
      baseline: null,
    }));
}

/** Weekly counts of one grid and category: [8 weeks ago … 1 week ago, this week] (the last 7 days). */
export interface WeeklySeries {
  grid: string;
  category: string;
  weeks: number[];
}

/** The spike statistic: z = (x − μ) / √max(μ, 1), μ the mean of the 8 baseline weeks (a Poisson z-score). */
export function spikeZ(weeks: readonly number[]): { x: number; mean: number; z: number } {
  const base = weeks.slice(0, -1);
  const x = weeks[weeks.length - 1] ?? 0;
  const mean = base.reduce((s, n) => s + n, 0) / Math.max(1, base.length);
  return { x, mean, z: (x - mean) / Math.sqrt(Math.max(mean, 1)) };
}

export function categorySpikes(series: readonly WeeklySeries[], settings: Pick<WarningSettings, 'spikeMinCount' | 'spikeZ'>): Finding[] {
  const findings: Finding[] = [];
  for (const s of series) {
    const { x, mean, z } = spikeZ(s.weeks);
    if (x < settings.spikeMinCount || z < settings.spikeZ) continue;
    findings.push({
      rule: 'category_spike',
      key: `category_spike:${s.grid}:${s.category}`,
      params: { grid: s.grid, category: s.category, count: x, mean: Number(mean.toFixed(2)), z: Number(z.toFixed(1)) },
      caseIds: [],
      baseline: [...s.weeks],
    });
  }
  return findings;
}

/** Overdue piling: at least `min` open incidents past their deadline at one unit (or grid worker). */
export function overduePiles(rows: readonly { unit: string; incidentId: string }[], min: number): Finding[] {
  const groups = new Map<string, string[]>();
  for (const r of rows) {
    if (!r.unit) continue;
    (groups.get(r.unit) ?? groups.set(r.unit, []).get(r.unit)!).push(r.incidentId);
  }
  return [...groups.entries()]
    .filter(([, ids]) => ids.length >= min)
    .map(([unit, ids]) => ({
      rule: 'overdue_pile' as const,
      key: `overdue_pile:${hash(unit)}`,
      params: { unit, count: ids.length },
      caseIds: ids,
      baseline: null,
    }));
}
