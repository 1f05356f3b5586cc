import { ContractError, shanghaiDateStart, shanghaiDayNumber } from '@shared';
import type { Db } from '../store';

export interface FigureRow {
  key: string;
  reported: number;
  completed: number;
  /** completed / reported; null when nothing was reported. */
  completionRate: number | null;
  /** Mean recorded → closed (incidents) or escalated → closed (workflows); null when none closed. */
  avgCloseMs: number | null;
}

function figures(key: string, reported: number, completed: number, closeMsSum: number): FigureRow {
  return {
    key,
    reported,
    completed,
    completionRate: reported ? completed / reported : null,
    avgCloseMs: completed ? Math.round(closeMsSum / completed) : null,
  };
}

/**
 * The figures the seeds report ("77 reported, 77 completed, 100%") for any period of Shanghai
 * calendar days, by grid and category (from the daily tables migrations 003 and 009 keep by triggers) and by
 * the unit the workflows went to. Incidents count on the day they were recorded; drills never count.
 */
export class Statistics {
  private readonly byGridStmt;
  private readonly byCategoryStmt;
  private readonly byUnitStmt;

  constructor(db: Db) {
    // Ranges on the primary keys (day, grid) and (day, category) of migration 009's rollups: a year
    // reads 365 × grids (or categories) rows, not 365 × grids × categories (109 ms at 1M incidents).
    this.byGridStmt = db.prepare<[number, number], { key: string; r: number; c: number; s: number }>(
      'SELECT grid AS key, sum(reported) AS r, sum(completed) AS c, sum(close_ms_sum) AS s FROM incident_daily_grid WHERE day BETWEEN ? AND ? GROUP BY grid',
    );
    this.byCategoryStmt = db.prepare<[number, number], { key: string; r: number; c: number; s: number }>(
      'SELECT category AS key, sum(reported) AS r, sum(completed) AS c, sum(close_ms_sum) AS s FROM incident_daily_category WHERE day BETWEEN ? AND ? GROUP BY category',
    );
    // idx_workflows_unit_created: per unit, a range on created_at.
    this.byUnitStmt = db.prepare<[number, number], { key: string; r: number; c: number; s: number | null }>(
      `SELECT u.name AS key, count(*) AS r, count(w.closed_at) AS c, sum(w.closed_at - w.created_at) AS s
       FROM units u JOIN workflows w ON w.unit_rid = u.rid AND w.created_at >= ? AND w.created_at < ?
       GROUP BY u.rid`,
    );
  }

  query(from: string, to: string) {
    const start = shanghaiDateStart(from);
    const end = shanghaiDateStart(to);
    if (start === null || end === null) throw ContractError.field(start === null ? 'from' : 'to', 'validation.not_a_date', 'not a date', {}, 'not a date (YYYY-MM-DD)');
    if (end < start) throw ContractError.field('to', 'workflows.before_start', 'the end date is before the start date', {}, 'before the start date');
    const [fromDay, toDay] = [shanghaiDayNumber(start), shanghaiDayNumber(end)];
    if (toDay - fromDay > 3660) throw ContractError.field('to', 'workflows.period_too_long', 'at most ten years at a time', { years: 10 }, 'period over ten years');
    const rows = (list: { key: string; r: number; c: number; s: number | null }[]) =>
      list.map((r) => figures(r.key, r.r, r.c, r.s ?? 0)).sort((a, b) => b.reported - a.reported || a.key.localeCompare(b.key));
    const byGrid = rows(this.byGridStmt.all(fromDay, toDay));
    const categories = this.byCategoryStmt.all(fromDay, toDay);
    const byCategory = rows(categories);
    // The period's last day is inclusive: workflows up to the following midnight.
    const byUnit = rows(this.byUnitStmt.all(start, end + 86_400_000));
    const total = categories.reduce((acc, r) => ({ r: acc.r + r.r, c: acc.c + r.c, s: acc.s + r.s }), { r: 0, c: 0, s: 0 });
    return { from, to, total: figures('', total.r, total.c, total.s), byGrid, byCategory, byUnit };
  }
}
