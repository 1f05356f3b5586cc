import {
  ContractError,
  DAY_MS,
  MEDIATION_LEVELS,
  addDays,

  shanghaiDateStart,
  shanghaiDayNumber,
  type AnalysisGrain,
  type Dashboard,
  type ParsedInput,
} from '@shared';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store';

export type DashboardFilter = ParsedInput<'analysis.dashboard'>['filter'];

/** The longest period one dashboard covers (the trend holds one bucket per day at most). */
export const MAX_PERIOD_DAYS = 3660;

interface Period {
  from: string;
  to: string;
  fromDay: number;
  toDay: number;
  /** Epoch ms: [start, end) of the period. */
  start: number;
  end: number;
}

/** Shanghai day number → weekday, 0 = Monday (day 0, 1970-01-01, was a Thursday). */
export const weekdayOf = (day: number): number => (day + 3) % 7;

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

/** Bucket index of a day within a period starting at `startDay` (weeks are 7-day runs from the start). */
export function bucketOf(grain: AnalysisGrain, day: number, startDay: number): number {
  if (grain === 'day') return day - startDay;
  if (grain === 'week') return Math.floor((day - startDay) / 7);
  const month = (d: number) => {
    const date = new Date(d * DAY_MS);
    return date.getUTCFullYear() * 12 + date.getUTCMonth();
  };
  return month(day) - month(startDay);
}

function bucketLabels(grain: AnalysisGrain, fromDay: number, toDay: number): string[] {
  const labels: string[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    const i = bucketOf(grain, d, fromDay);
    if (labels[i] === undefined) labels[i] = grain === 'month' ? new Date(d * DAY_MS).toISOString().slice(0, 7) : new Date(d * DAY_MS).toISOString().slice(0, 10);
  }
  return labels;
}

const rate = (part: number, whole: number): number | null => (whole ? part / whole : null);

/**
 * The analysis workspace's figures. Incident figures read the aggregate tables migration 007's
 * triggers keep (so a write costs a few upserts, and a dashboard reads aggregates, never every
 * incident); workflow figures (police times, the mediation funnel) read the period's workflows by
 * an index on (kind, created_at) — a town has hundreds a year. Drills never count.
 */
export class DashboardService {
  private readonly statements = new Map<string, Statement<unknown[]>>();

  constructor(private readonly db: Db) {}

  private stmt(sql: string): Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare<unknown[]>(sql)));
    return statement;
  }

  /** The filter as SQL on the aggregate tables' columns (or the incidents' own, via `columns`). */
  private where(
    filter: DashboardFilter,
    columns = { grid: 'grid', category: 'category', source: 'source', unit: 'unit' },
  ): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: readonly string[]) => {
      if (!values.length) return;
      parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    inList(columns.grid, filter.grids);
    inList(columns.category, filter.categories);
    inList(columns.source, filter.sources);
    inList(columns.unit, filter.units);
    return { sql: parts.map((p) => ` AND ${p}`).join(''), params };
  }

  private incidentWhere(filter: DashboardFilter) {
    return this.where(filter, { grid: "coalesce(i.grid_id, '')", category: 'i.category', source: 'i.source', unit: "coalesce(i.assignee_name, '')" });
  }

  period(from: string, to: string): Period {
    const start = shanghaiDateStart(from);
    const endDay = shanghaiDateStart(to);
    if (start === null || endDay === null) {
      const path = start === null ? 'from' : 'to';
      throw ContractError.validation('not a date', [{ path, message: 'not a date (YYYY-MM-DD)', reason: 'analysis.bad_date' }], { reason: 'analysis.bad_date' });
    }
    if (endDay < start) {
      throw ContractError.validation('the end date is before the start date', [{ path: 'to', message: 'before the start date', reason: 'analysis.period_reversed' }], {
        reason: 'analysis.period_reversed',
      });
    }
    const [fromDay, toDay] = [shanghaiDayNumber(start), shanghaiDayNumber(endDay)];
    if (toDay - fromDay + 1 > MAX_PERIOD_DAYS) {
      throw ContractError.validation('period too long', [{ path: 'to', message: `at most ${MAX_PERIOD_DAYS} days`, reason: 'analysis.period_too_long' }], {
        reason: 'analysis.period_too_long',
        params: { max: MAX_PERIOD_DAYS },
      });
    }
    return { from, to, fromDay, toDay, start, end: endDay + DAY_MS };
  }

  /** The period of the same number of days ending the day before `p` starts. */
  previous(p: Period): Period {
    const days = p.toDay - p.fromDay + 1;
    const from = addDays(p.from, -days);
    const to = addDays(p.from, -1);
    return this.period(from, to);
  }

  /** Reported per day in a period (day → count). */
  reportedByDay(p: Period, filter: DashboardFilter): Map<number, number> {
    const w = this.where(filter);
    const rows = this.stmt(`SELECT day, sum(n) AS n FROM analysis_reported WHERE day BETWEEN ? AND ?${w.sql} GROUP BY day`).all(
      p.fromDay,
      p.toDay,
      ...w.params,
    ) as { day: number; n: number }[];
    return new Map(rows.map((r) => [r.day, r.n]));
  }

  kpis(p: Period, prev: Period, filter: DashboardFilter, now: number): Dashboard['kpis'] {
    const w = this.where(filter);
    const today = shanghaiDayNumber(now);
    const reportedIn = (a: number, b: number) =>
      (this.stmt(`SELECT coalesce(sum(n), 0) AS n FROM analysis_reported WHERE day BETWEEN ? AND ?${w.sql}`).get(a, b, ...w.params) as { n: number }).n;
    const closedIn = (a: number, b: number) =>
      this.stmt(
        `SELECT coalesce(sum(n), 0) AS n, coalesce(sum(on_time), 0) AS onTime, coalesce(sum(score_n), 0) AS scoreN, coalesce(sum(score_sum), 0) AS scoreSum
         FROM analysis_closed WHERE day BETWEEN ? AND ?${w.sql}`,
      ).get(a, b, ...w.params) as { n: number; onTime: number; scoreN: number; scoreSum: number };
    const open = (this.stmt(`SELECT coalesce(sum(n), 0) AS n FROM analysis_open WHERE 1${w.sql}`).get(...w.params) as { n: number }).n;
    const overdue = this.overdueByUnit(filter, now).reduce((s, r) => s + r.overdue, 0);
    const closed = closedIn(p.fromDay, p.toDay);
    const mediation = this.stmt(
      `SELECT count(*) AS n, count(w.agreement) AS settled FROM workflows w JOIN incidents i ON i.rid = w.incident_rid
       WHERE w.kind = 'mediation' AND w.created_at >= ? AND w.created_at < ? AND w.closed_at IS NOT NULL AND i.source <> 'drill'${this.incidentWhere(filter).sql}`,
    ).get(p.start, p.end, ...this.incidentWhere(filter).params) as { n: number; settled: number };
    const quarantine = this.stmt(
      `SELECT (SELECT count(*) FROM quarantine_persons q JOIN workflows w ON w.rid = q.workflow_rid JOIN incidents i ON i.rid = w.incident_rid
               WHERE q.status = 'in_quarantine' AND i.source <> 'drill') AS occupied,
              (SELECT coalesce(sum(capacity), 0) FROM units WHERE kind = 'quarantine_site') AS capacity`,
    ).get() as { occupied: number; capacity: number };
    return {
      newToday: reportedIn(today, today),
      closedToday: closedIn(today, today).n,
      open,
      overdue,
      onTimeRate: rate(closed.onTime, closed.n),
      satisfaction: closed.scoreN ? closed.scoreSum / closed.scoreN : null,
      mediationSuccessRate: rate(mediation.settled, mediation.n),
      quarantineOccupied: quarantine.occupied,
      quarantineCapacity: quarantine.capacity,
      reported: reportedIn(p.fromDay, p.toDay),
      closed: closed.n,
      previousReported: reportedIn(prev.fromDay, prev.toDay),
      previousClosed: closedIn(prev.fromDay, prev.toDay).n,
    };
  }

  trend(p: Period, prev: Period, grain: AnalysisGrain, filter: DashboardFilter): Dashboard['trend'] {
    const labels = bucketLabels(grain, p.fromDay, p.toDay);
    const fold = (period: Period) => {
      const out = new Array<number>(labels.length).fill(0);
      for (const [day, n] of this.reportedByDay(period, filter)) {
        const i = bucketOf(grain, day, period.fromDay);
        if (i >= 0 && i < out.length) out[i]! += n;
      }
      return out;
    };
    return { grain, labels, current: fold(p), previous: fold(prev) };
  }

  /** Reported and closed in the period by one column, with what is open now for grids. */
  by(column: 'grid' | 'category' | 'source' | 'unit', p: Period, filter: DashboardFilter): { key: string; reported: number; closed: number; open: number }[] {
    const w = this.where(filter);
    const reported = this.stmt(`SELECT ${column} AS key, sum(n) AS n FROM analysis_reported WHERE day BETWEEN ? AND ?${w.sql} GROUP BY ${column}`).all(
      p.fromDay,
      p.toDay,
      ...w.params,
    ) as { key: string; n: number }[];
    const closed = this.stmt(`SELECT ${column} AS key, sum(n) AS n FROM analysis_closed WHERE day BETWEEN ? AND ?${w.sql} GROUP BY ${column}`).all(
      p.fromDay,
      p.toDay,
      ...w.params,
    ) as { key: string; n: number }[];
    const open = this.stmt(`SELECT ${column} AS key, sum(n) AS n FROM analysis_open WHERE 1${w.sql} GROUP BY ${column}`).all(...w.params) as {
      key: string;
      n: number;
    }[];
    const rows = new Map<string, { key: string; reported: number; closed: number; open: number }>();
    const row = (key: string) => {
      let r = rows.get(key);
      if (!r) rows.set(key, (r = { key, reported: 0, closed: 0, open: 0 }));
      return r;
    };
    for (const r of reported) row(r.key).reported += r.n;
    for (const r of closed) row(r.key).closed += r.n;
    for (const r of open) if (r.n) row(r.key).open += r.n;
    return [...rows.values()]
      .filter((r) => r.reported || r.closed || r.open)
      .sort((a, b) => b.reported - a.reported || b.open - a.open || a.key.localeCompare(b.key));
  }

  heat(p: Period, filter: DashboardFilter): number[][] {
    const w = this.where(filter);
    const rows = this.stmt(`SELECT day, hour, sum(n) AS n FROM analysis_reported WHERE day BETWEEN ? AND ?${w.sql} GROUP BY day, hour`).all(
      p.fromDay,
      p.toDay,
      ...w.params,
    ) as { day: number; hour: number; n: number }[];
    const heat = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const r of rows) heat[weekdayOf(r.day)]![r.hour]! += r.n;
    return heat;
  }

  mediationFunnel(p: Period, filter: DashboardFilter): Dashboard['mediationFunnel'] {
    const w = this.incidentWhere(filter);
    const rows = this.stmt(
      `SELECT w.level AS level, w.closed_at IS NOT NULL AS closed, w.agreement IS NOT NULL AS agreed, count(*) AS n
       FROM workflows w JOIN incidents i ON i.rid = w.incident_rid
       WHERE w.kind = 'mediation' AND w.created_at >= ? AND w.created_at < ? AND i.source <> 'drill'${w.sql}
       GROUP BY 1, 2, 3`,
    ).all(p.start, p.end, ...w.params) as { level: string | null; closed: number; agreed: number; n: number }[];
    // A mediation escalates one level at a time, so one now at level k passed through every level below it.
    return MEDIATION_LEVELS.map((level, k) => {
      let reached = 0;
      let settled = 0;
      let referred = 0;
      for (const r of rows) {
        const at = MEDIATION_LEVELS.indexOf((r.level ?? 'village') as (typeof MEDIATION_LEVELS)[number]);
        if (at >= k) reached += r.n;
        if (at === k && r.closed && r.agreed) settled += r.n;
        if (at === k && r.closed && !r.agreed) referred += r.n;
      }
      return { level, reached, settled, referred };
    });
  }

  police(p: Period, filter: DashboardFilter): Dashboard['police'] {
    const w = this.incidentWhere(filter);
    const rows = this.stmt(
      `SELECT w.acknowledged_at - w.created_at AS ack, w.arrived_at - w.created_at AS arrive
       FROM workflows w JOIN incidents i ON i.rid = w.incident_rid
       WHERE w.kind = 'police' AND w.created_at >= ? AND w.created_at < ? AND i.source <> 'drill'${w.sql}`,
    ).all(p.start, p.end, ...w.params) as { ack: number | null; arrive: number | null }[];
    const ack = rows.flatMap((r) => (r.ack === null ? [] : [r.ack])).sort((a, b) => a - b);
    const arrive = rows.flatMap((r) => (r.arrive === null ? [] : [r.arrive])).sort((a, b) => a - b);
    return {
      dispatched: rows.length,
      ackP50: percentile(ack, 50),
      ackP90: percentile(ack, 90),
      arriveP50: percentile(arrive, 50),
      arriveP90: percentile(arrive, 90),
    };
  }

  cameraAlarms(p: Period): Dashboard['cameraAlarms'] {
    return this.stmt(
      `SELECT c.id AS cameraId, c.name AS name, count(a.id) AS bursts, coalesce(sum(a.count), 0) AS events
       FROM cameras c LEFT JOIN alarms a ON a.camera_id = c.id AND a.first_at >= ? AND a.first_at < ?
       GROUP BY c.id ORDER BY events DESC, c.name`,
    ).all(p.start, p.end) as Dashboard['cameraAlarms'];
  }

  /**
   * Open incidents past their deadline, by assignee: a range on the list index (list_key is the
   * deadline of an open incident, migration 002); time moves them into "overdue", so no aggregate.
   */
  overdueByUnit(filter: DashboardFilter, now: number): Dashboard['overdueByUnit'] {
    const w = this.incidentWhere(filter);
    return this.stmt(
      `SELECT coalesce(i.assignee_name, '') AS key, count(*) AS overdue FROM incidents i
       WHERE i.list_key < ? AND i.source <> 'drill'${w.sql} GROUP BY 1 ORDER BY overdue DESC, key`,
    ).all(now, ...w.params) as Dashboard['overdueByUnit'];
  }

  dashboard(input: ParsedInput<'analysis.dashboard'>, now: number): Dashboard {
    const p = this.period(input.from, input.to);
    const prev = this.previous(p);
    const { filter, grain } = input;
    const strip = (rows: { key: string; reported: number; closed: number }[]) => rows.map(({ key, reported, closed }) => ({ key, reported, closed }));
    return {
      now,
      from: p.from,
      to: p.to,
      previousFrom: prev.from,
      previousTo: prev.to,
      kpis: this.kpis(p, prev, filter, now),
      trend: this.trend(p, prev, grain, filter),
      byGrid: this.by('grid', p, filter),
      byCategory: strip(this.by('category', p, filter)),
      bySource: strip(this.by('source', p, filter)),
      byUnit: strip(this.by('unit', p, filter)),
      heat: this.heat(p, filter),
      mediationFunnel: this.mediationFunnel(p, filter),
      police: this.police(p, filter),
      cameraAlarms: this.cameraAlarms(p),
      overdueByUnit: this.overdueByUnit(filter, now),
    };
  }
}

