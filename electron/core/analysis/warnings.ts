import { v7 as uuidv7 } from 'uuid';
import {
  ContractError,
  DAY_MS,
  DEFAULT_WARNING_SETTINGS,
  WarningSettings,
  shanghaiDayNumber,
  type Warning,
  type WarningCase,
  type IncidentStatus,
} from '@shared';
import type { Db } from '../store';
import type { SettingsStore } from '../store';
import { categorySpikes, overduePiles, repeatPersons, repeatPetitioners, repeatPlaces, type Finding, type PersonRow, type PlacePoint } from './rules';

const SETTINGS_KEY = 'analysis.warnings';
/** Cases listed per warning (a pile at one unit can be long; the card shows the first ones). */
const MAX_CASES = 50;

interface WarningRow {
  id: string;
  rule: Warning['rule'];
  key: string;
  status: Warning['status'];
  params: string;
  cases: string;
  baseline: string | null;
  first_seen_at: number;
  updated_at: number;
  assignee: string | null;
  dismiss_reason: string | null;
  case_id: string | null;
  actor: string | null;
}

/**
 * Early warning (预警研判): evaluates the rules (rules.ts) over the store and keeps each finding
 * under its key in analysis_warnings, so an analyst's dismissal, assignment or opened case stays
 * with the pattern while it lasts. Evaluated on demand (warnings.list) and after changes (the
 * analysis module coalesces them); a town's rows for a rule's window are thousands, not millions.
 */
export class WarningService {
  constructor(
    private readonly db: Db,
    private readonly settingsStore: SettingsStore,
  ) {}

  settings(): WarningSettings {
    const raw = this.settingsStore.get(SETTINGS_KEY);
    if (!raw) return DEFAULT_WARNING_SETTINGS;
    const parsed = WarningSettings.safeParse({ ...DEFAULT_WARNING_SETTINGS, ...(JSON.parse(raw) as object) });
    return parsed.success ? parsed.data : DEFAULT_WARNING_SETTINGS;
  }

  updateSettings(settings: WarningSettings): WarningSettings {
    this.settingsStore.set(SETTINGS_KEY, JSON.stringify(settings));
    return settings;
  }

  /** Every rule over the store now. */
  findings(now: number, s = this.settings()): Finding[] {
    const since = (days: number) => now - days * DAY_MS;
    const points = this.db
      .prepare<[number, number], PlacePoint>(
        `SELECT id, lon, lat, occurred_at AS at FROM incidents
         WHERE occurred_at >= ? AND occurred_at <= ? AND lon IS NOT NULL AND source <> 'drill'`,
      )
      .all(since(s.placeDays), now);
    const persons = this.db
      .prepare<[number, number], { incidentId: string; phone: string; idNumber: string }>(
        `SELECT i.id AS incidentId, p.phone AS phone, p.id_number AS idNumber FROM mediation_parties p
           JOIN workflows w ON w.rid = p.workflow_rid JOIN incidents i ON i.rid = w.incident_rid
           WHERE i.occurred_at >= ? AND i.source <> 'drill'
         UNION ALL
         SELECT i.id, q.phone, q.id_number FROM quarantine_persons q
           JOIN workflows w ON w.rid = q.workflow_rid JOIN incidents i ON i.rid = w.incident_rid
           WHERE i.occurred_at >= ? AND i.source <> 'drill'`,
      )
      .all(since(s.personDays), since(s.personDays))
      .flatMap((r): PersonRow[] => [
        { incidentId: r.incidentId, kind: 'phone', value: r.phone },
        { incidentId: r.incidentId, kind: 'id_number', value: r.idNumber },
      ]);
    const petitions = this.db
      .prepare<[number], { incidentId: string; name: string }>(
        `SELECT id AS incidentId, reporter AS name FROM incidents WHERE source = 'walk_in_petition' AND occurred_at >= ?`,
      )
      .all(since(s.petitionDays));
    // This week = the last 7 days including today; weeks 1…8 before it are the baseline.
    const today = shanghaiDayNumber(now);
    const weekly = new Map<string, { grid: string; category: string; weeks: number[] }>();
    for (const r of this.db
      .prepare<[number, number], { grid: string; category: string; day: number; n: number }>(
        `SELECT grid, category, day, sum(n) AS n FROM analysis_reported WHERE day BETWEEN ? AND ? AND grid <> '' GROUP BY grid, category, day`,
      )
      .all(today - 62, today)) {
      const back = Math.floor((today - r.day) / 7); // 0 = this week … 8
      const key = `${r.grid}\u0000${r.category}`;
      const series = weekly.get(key) ?? weekly.set(key, { grid: r.grid, category: r.category, weeks: new Array<number>(9).fill(0) }).get(key)!;
      series.weeks[8 - back]! += r.n;
    }
    const overdue = this.db
      .prepare<[number], { unit: string; incidentId: string }>(
        `SELECT coalesce(assignee_name, '') AS unit, id AS incidentId FROM incidents WHERE list_key < ? AND source <> 'drill' ORDER BY deadline`,
      )
      .all(now);
    return [
      ...repeatPlaces(points, s.placeCount, s.placeRadiusM),
      ...repeatPersons(persons, s.personCases),
      ...repeatPetitioners(petitions, s.petitionCount),
      ...categorySpikes([...weekly.values()], s),
      ...overduePiles(overdue, s.overdueCount),
    ];
  }

  /**
   * Evaluates and stores: a new key is a new open warning; a known one is refreshed (its status
   * kept); one whose pattern is gone leaves the list. Returns how many are open and how many new.
   */
  evaluate(now: number): { open: number; fresh: number; changed: boolean } {
    const findings = this.findings(now);
    let fresh = 0;
    let changed = false;
    const write = this.db.transaction(() => {
      const known = new Map(
        this.db.prepare<[], { key: string; cases: string; params: string; active: number }>('SELECT key, cases, params, active FROM analysis_warnings').all().map((r) => [r.key, r]),
      );
      const seen = new Set<string>();
      for (const f of findings) {
        seen.add(f.key);
        const cases = JSON.stringify(f.caseIds.slice(0, MAX_CASES));
        const params = JSON.stringify(f.params);
        const before = known.get(f.key);
        if (!before) {
          fresh++;
          changed = true;
          this.db
            .prepare(
              `INSERT INTO analysis_warnings (id, rule, key, status, params, cases, baseline, first_seen_at, updated_at, active)
               VALUES (?, ?, ?, 'open', ?, ?, ?, ?, ?, 1)`,
            )
            .run(uuidv7(), f.rule, f.key, params, cases, f.baseline ? JSON.stringify(f.baseline) : null, now, now);
        } else if (before.cases !== cases || before.params !== params || !before.active) {
          changed = true;
          this.db
            .prepare('UPDATE analysis_warnings SET params = ?, cases = ?, baseline = ?, updated_at = ?, active = 1 WHERE key = ?')
            .run(params, cases, f.baseline ? JSON.stringify(f.baseline) : null, now, f.key);
        }
      }
      for (const [key, row] of known) {
        if (!seen.has(key) && row.active) {
          changed = true;
          this.db.prepare('UPDATE analysis_warnings SET active = 0, updated_at = ? WHERE key = ?').run(now, key);
        }
      }
    });
    write.immediate();
    const open = this.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM analysis_warnings WHERE active = 1 AND status = 'open'").get()!.n;
    return { open, fresh, changed };
  }

  list(includeClosed: boolean): Warning[] {
    const rows = this.db
      .prepare<[], WarningRow>(
        `SELECT * FROM analysis_warnings WHERE active = 1 ${includeClosed ? '' : "AND status = 'open'"}
         ORDER BY status = 'open' DESC, updated_at DESC LIMIT 500`,
      )
      .all();
    return rows.map((r) => this.toWarning(r));
  }

  get(id: string): Warning {
    const row = this.db.prepare<[string], WarningRow>('SELECT * FROM analysis_warnings WHERE id = ?').get(id);
    if (!row) throw ContractError.notFound(`no warning ${id}`, { reason: 'analysis.unknown_warning' });
    return this.toWarning(row);
  }

  private toWarning(r: WarningRow): Warning {
    const ids = JSON.parse(r.cases) as string[];
    const cases = ids.length
      ? this.db
          .prepare<string[], { id: string; code: string; title: string; category: string; occurred_at: number; status: IncidentStatus; lon: number | null; lat: number | null; grid_id: string | null }>(
            `SELECT id, code, title, category, occurred_at, status, lon, lat, grid_id FROM incidents WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY occurred_at`,
          )
          .all(...ids)
          .map(
            (c): WarningCase => ({
              id: c.id,
              code: c.code,
              title: c.title,
              category: c.category,
              occurredAt: c.occurred_at,
              status: c.status,
              location: c.lon === null || c.lat === null ? null : { lon: c.lon, lat: c.lat },
              gridId: c.grid_id,
            }),
          )
      : [];
    return {
      id: r.id,
      rule: r.rule,
      key: r.key,
      status: r.status,
      params: JSON.parse(r.params) as Warning['params'],
      cases,
      baseline: r.baseline ? (JSON.parse(r.baseline) as number[]) : null,
      firstSeenAt: r.first_seen_at,
      updatedAt: r.updated_at,
      assignee: r.assignee,
      dismissReason: r.dismiss_reason,
      caseId: r.case_id,
      actor: r.actor,
    };
  }

  private requireOpen(id: string): Warning {
    const w = this.get(id);
    if (w.status !== 'open') throw ContractError.conflict(`warning ${id} is ${w.status}`, undefined, { reason: 'analysis.warning_closed', params: { status: w.status } });
    return w;
  }

  dismiss(id: string, reason: string, actor: string, now: number): Warning {
    this.requireOpen(id);
    this.db.prepare("UPDATE analysis_warnings SET status = 'dismissed', dismiss_reason = ?, actor = ?, updated_at = ? WHERE id = ?").run(reason, actor, now, id);
    return this.get(id);
  }

  assign(id: string, assignee: string, actor: string, now: number): Warning {
    this.requireOpen(id);
    this.db.prepare('UPDATE analysis_warnings SET assignee = ?, actor = ?, updated_at = ? WHERE id = ?').run(assignee, actor, now, id);
    return this.get(id);
  }

  markCase(id: string, incidentId: string, actor: string, now: number): Warning {
    this.db.prepare("UPDATE analysis_warnings SET status = 'opened_case', case_id = ?, actor = ?, updated_at = ? WHERE id = ?").run(incidentId, actor, now, id);
    return this.get(id);
  }

  requireOpenWarning(id: string): Warning {
    return this.requireOpen(id);
  }
}
