import type { Statement } from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import {
  ContractError,
  OPEN_STATUSES,
  OWN_WORK_EVENTS,
  allowedActions,
  checkTransition,
  isEditable,
  type Category,
  type EventType,
  type Incident,
  type IncidentListRow,
  type IncidentStatus,
  type ParsedInput,
  type TimelineEvent,
} from '@shared';
import type { Db } from '../store';
import { EventLog, type AppendedEvent } from '../events';
import { callScope, type ActorRef } from '../contract';
import { searchBody, searchQuery } from './search-text';
import { DEADLINE_DAY_MS } from '../store';

type Draft = ParsedInput<'incidents.create'>['draft'];
type Patch = ParsedInput<'incidents.update'>['patch'];
type TransitionInput = ParsedInput<'incidents.transition'>['transition'];
type Filter = ParsedInput<'incidents.list'>['filter'];

interface IncidentRow {
  rid: number;
  id: string;
  code: string;
  category: string;
  title: string;
  description: string;
  lon: number | null;
  lat: number | null;
  grid_id: string | null;
  source: Incident['source'];
  priority: Incident['priority'];
  reporter: string;
  occurred_at: number;
  recorded_at: number;
  deadline: number;
  status: IncidentStatus;
  assignee_kind: 'unit' | 'grid_worker' | null;
  assignee_name: string | null;
  assessment_score: number | null;
  assessment_comment: string | null;
  closed_at: number | null;
  updated_at: number;
  version: number;
}

const HOUR = 3_600_000;
/** Occurred-at may run a little ahead of the store clock (PC clocks drift); more is a typo. */
const FUTURE_TOLERANCE_MS = 10 * 60_000;

export interface Change {
  incident: Incident;
  event: AppendedEvent;
}

export interface IncidentStoreOptions {
  /** Prefix of human codes, e.g. GS for Guishan. */
  codePrefix: string;
  now: () => number;
  /** Year used in codes, in the town's time zone (Asia/Shanghai, UTC+8, no DST). */
  codeYear?: (at: number) => number;
}

/** The UTC day of `now` as incident_open_deadlines keys it, and that day's first instant. */
function deadlineDay(now: number): [day: number, start: number] {
  const day = Math.floor(now / DEADLINE_DAY_MS);
  return [day, day * DEADLINE_DAY_MS];
}

const shanghaiYear = (at: number) => new Date(at + 8 * HOUR).getUTCFullYear();

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    code: row.code,
    category: row.category,
    title: row.title,
    description: row.description,
    location: row.lon === null || row.lat === null ? null : { lon: row.lon, lat: row.lat },
    gridId: row.grid_id,
    source: row.source,
    priority: row.priority,
    reporter: row.reporter,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    deadline: row.deadline,
    status: row.status,
    assignee: row.assignee_kind && row.assignee_name ? { kind: row.assignee_kind, name: row.assignee_name } : null,
    assessment:
      row.assessment_score === null ? null : { score: row.assessment_score, comment: row.assessment_comment ?? '' },
    closedAt: row.closed_at,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

const LIST_COLUMNS = 'id, code, category, title, source, priority, occurred_at, deadline, status, assignee_kind, assignee_name';

type ListRow = Pick<
  IncidentRow,
  'id' | 'code' | 'category' | 'title' | 'source' | 'priority' | 'occurred_at' | 'deadline' | 'status' | 'assignee_kind' | 'assignee_name'
>;

function toListRow(r: ListRow): IncidentListRow {
  return {
    id: r.id,
    code: r.code,
    category: r.category,
    title: r.title,
    source: r.source,
    priority: r.priority,
    occurredAt: r.occurred_at,
    deadline: r.deadline,
    status: r.status,
    assignee: r.assignee_kind && r.assignee_name ? { kind: r.assignee_kind, name: r.assignee_name } : null,
  };
}

export class IncidentStore {
  private readonly log: EventLog;
  private readonly byId;
  private readonly categoryStmt;
  private readonly insertStmt;
  private readonly searchDelete;
  private readonly searchInsert;
  private readonly nextCode;
  private readonly codeYear: (at: number) => number;
  /**
   * Built once: better-sqlite3's db.transaction() creates four wrapper functions and defines their
   * properties on every call, ~7% of a command's time. Same semantics (BEGIN IMMEDIATE, or a
   * savepoint when nested).
   */
  private readonly runInTransaction;

  constructor(
    private readonly db: Db,
    private readonly options: IncidentStoreOptions,
  ) {
    this.log = new EventLog(db);
    this.codeYear = options.codeYear ?? shanghaiYear;
    this.runInTransaction = db.transaction((fn: () => unknown) => fn());
    this.byId = db.prepare<[string], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
    this.categoryStmt = db.prepare<[string], { default_deadline_hours: number }>(
      'SELECT default_deadline_hours FROM categories WHERE code = ?',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO incidents (id, code, category, title, description, lon, lat, grid_id, source, priority, reporter,
         occurred_at, recorded_at, deadline, status, updated_at, version)
       VALUES (@id, @code, @category, @title, @description, @lon, @lat, @grid_id, @source, @priority, @reporter,
         @occurred_at, @recorded_at, @deadline, 'reported', @recorded_at, 1)`,
    );
    this.searchDelete = db.prepare('DELETE FROM incident_search WHERE rowid = ?');
    this.searchInsert = db.prepare('INSERT INTO incident_search (rowid, body) VALUES (?, ?)');
    this.nextCode = db.prepare<[string, number], { last: number }>(
      `INSERT INTO code_counters (prefix, year, last) VALUES (?, ?, 1)
       ON CONFLICT (prefix, year) DO UPDATE SET last = last + 1 RETURNING last`,
    );
  }

  private readonly statements = new Map<string, Statement<unknown[]>>();

  /** Statements built from a few fixed shapes (per action, per filter) are prepared once. */
  private stmt(sql: string): Statement<unknown[]> {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.db.prepare<unknown[]>(sql)));
    return statement;
  }

  get eventLog(): EventLog {
    return this.log;
  }

  categories(): Category[] {
    return this.db
      .prepare<[], { code: string; name_zh: string; name_en: string; grp: string; default_deadline_hours: number }>(
        'SELECT code, name_zh, name_en, grp, default_deadline_hours FROM categories ORDER BY sort',
      )
      .all()
      .map((c) => ({ code: c.code, nameZh: c.name_zh, nameEn: c.name_en, group: c.grp, defaultDeadlineHours: c.default_deadline_hours }));
  }

  create(draft: Draft, actor: string, at = this.options.now()): Change {
    const category = this.requireCategory(draft.category, 'draft.category');
    this.checkTimes(draft.occurredAt, draft.deadline, at, 'draft');
    return this.write(() => {
      const year = this.codeYear(at);
      const serial = this.nextCode.get(this.options.codePrefix, year)!.last;
      const code = `${this.options.codePrefix}-${year}-${String(serial).padStart(6, '0')}`;
      const id = uuidv7({ msecs: at });
      const deadline = draft.deadline ?? at + category.default_deadline_hours * HOUR;
      const { lastInsertRowid } = this.insertStmt.run({
        id,
        code,
        category: draft.category,
        title: draft.title,
        description: draft.description,
        lon: draft.location?.lon ?? null,
        lat: draft.location?.lat ?? null,
        grid_id: draft.gridId,
        source: draft.source,
        priority: draft.priority,
        reporter: draft.reporter,
        occurred_at: draft.occurredAt,
        recorded_at: at,
        deadline,
      });
      const rid = Number(lastInsertRowid);
      this.searchInsert.run(rid, searchBody(code, draft.title, draft.description));
      const event = this.log.append({
        incidentRid: rid,
        incidentId: id,
        type: 'created',
        actor,
        at,
        payload: { code, ...draft, deadline },
      });
      return { incident: toIncident(this.byId.get(id)!), event };
    });
  }

  update(id: string, expectedVersion: number, patch: Patch, actor: string, at = this.options.now()): Change {
    return this.write(() => {
      const row = this.load(id, expectedVersion);
      if (!isEditable(row.status)) {
        throw ContractError.conflict(`incident ${row.code} is closed; its details can no longer be edited`, undefined, { reason: 'incidents.closed', params: { code: row.code } });
      }
      if (patch.category !== undefined) this.requireCategory(patch.category, 'patch.category');
      // Moving only the time it happened past the existing deadline is refused as well, on that field.
      this.checkTimes(patch.occurredAt ?? row.occurred_at, patch.deadline ?? row.deadline, at, 'patch', patch.deadline === undefined ? 'occurredAt' : 'deadline');
      const before = toIncident(row);
      const after: Incident = { ...before, ...patch } as Incident;
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      for (const key of Object.keys(patch) as (keyof Patch)[]) {
        const from = before[key as keyof Incident];
        const to = after[key as keyof Incident];
        if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
      }
      if (!Object.keys(changes).length) throw ContractError.validation('nothing changed', [{ path: 'patch', message: 'nothing changed', reason: 'validation.nothing_changed' }], { reason: 'validation.nothing_changed' });
      this
        .stmt(
          `UPDATE incidents SET category = ?, title = ?, description = ?, lon = ?, lat = ?, grid_id = ?, priority = ?,
             reporter = ?, occurred_at = ?, deadline = ?, updated_at = ?, version = version + 1 WHERE rid = ?`,
        )
        .run(
          after.category,
          after.title,
          after.description,
          after.location?.lon ?? null,
          after.location?.lat ?? null,
          after.gridId,
          after.priority,
          after.reporter,
          after.occurredAt,
          after.deadline,
          at,
          row.rid,
        );
      if ('title' in changes || 'description' in changes) {
        this.searchDelete.run(row.rid);
        this.searchInsert.run(row.rid, searchBody(row.code, after.title, after.description));
      }
      return this.finish(row, 'updated', actor, at, { changes });
    });
  }

  transition(id: string, expectedVersion: number, transition: TransitionInput, actor: string, at = this.options.now()): Change {
    return this.write(() => {
      const row = this.load(id, expectedVersion);
      const check = checkTransition({ status: row.status, assessed: row.assessment_score !== null }, transition.action);
      if (!check.ok) {
        throw ContractError.conflict(
          `"${transition.action}" is not allowed while incident ${row.code} is ${row.status}` +
            (check.allowed.length ? `; allowed: ${check.allowed.join(', ')}` : '; no action is allowed'),
          check.allowed,
          { reason: check.allowed.length ? 'incidents.illegal_action' : 'incidents.no_action', params: { action: transition.action, status: row.status } },
        );
      }
      if (transition.action === 'assess' || transition.action === 'close') this.refuseOwnWork(row.rid, transition.action);
      const set: string[] = ['status = @status', 'updated_at = @at', 'version = version + 1'];
      const params: Record<string, unknown> = { status: check.to, at, rid: row.rid };
      const { action, ...payload } = transition;
      switch (transition.action) {
        case 'dispatch':
          set.push('assignee_kind = @kind', 'assignee_name = @name');
          Object.assign(params, { kind: transition.assignee.kind, name: transition.assignee.name });
          break;
        case 'close':
          set.push('closed_at = @at');
          break;
        case 'assess':
          set.push('assessment_score = @score', 'assessment_comment = @comment');
          Object.assign(params, { score: transition.assessment.score, comment: transition.assessment.comment });
          break;
        default:
          break;
      }
      this.stmt(`UPDATE incidents SET ${set.join(', ')} WHERE rid = @rid`).run(params);
      return this.finish(row, check.event, actor, at, { action, from: row.status, to: check.to, ...payload });
    });
  }

  /**
   * Nobody assesses or approves their own work: whoever acted in one of the incident's OWN_WORK_EVENTS
   * may not assess it, co-sign its assessment or co-sign its closure (the person closing is the one
   * who worked it; the co-signer confirms from outside). The core's own and in-process work passes.
   */
  private refuseOwnWork(incidentRid: number, action: 'assess' | 'close'): void {
    const scope = callScope.getStore();
    if (!scope || scope.system) return;
    const people: ActorRef[] = action === 'assess' ? [scope.actor] : [];
    if (scope.cosigner) people.push(scope.cosigner);
    const worked = this.stmt(
      `SELECT 1 FROM events WHERE incident_rid = ? AND actor_id = ? AND type IN (${OWN_WORK_EVENTS.map(() => '?').join(', ')}) LIMIT 1`,
    );
    for (const person of people) {
      // idx_events_incident (incident_rid, seq): one incident's events, a few dozen rows.
      if (person.id !== null && worked.get(incidentRid, person.id, ...OWN_WORK_EVENTS)) {
        throw ContractError.forbidden(`${person.name} worked on this incident and may not ${action === 'assess' ? 'assess it' : 'approve its closure'}`, {
          reason: 'auth.own_work',
          params: { name: person.name, action },
        });
      }
    }
  }

  comment(id: string, text: string, actor: string, at = this.options.now()): Change {
    return this.write(() => {
      const row = this.load(id);
      this.stmt('UPDATE incidents SET updated_at = ?, version = version + 1 WHERE rid = ?').run(at, row.rid);
      return this.finish(row, 'commented', actor, at, { text });
    });
  }

  /**
   * Another domain's event on this incident's timeline (a workflow step, a supervision action):
   * bumps the version so every window reloads, inside the caller's transaction when there is one.
   */
  touch(id: string, type: EventType, payload: Record<string, unknown>, actor: string, at = this.options.now()): Change {
    return this.write(() => {
      const row = this.load(id);
      this.stmt('UPDATE incidents SET updated_at = ?, version = version + 1 WHERE rid = ?').run(at, row.rid);
      return this.finish(row, type, actor, at, payload);
    });
  }

  get(id: string): { incident: Incident; timeline: TimelineEvent[]; allowedActions: string[] } {
    const row = this.load(id);
    return {
      incident: toIncident(row),
      timeline: this.log.timeline(row.rid),
      allowedActions: allowedActions({ status: row.status, assessed: row.assessment_score !== null }),
    };
  }

  list(filter: Filter, offset: number, limit: number, now = this.options.now()): { total: number; rows: IncidentListRow[]; now: number } {
    const where = this.filterWhere(filter, now);
    if (!where) return { total: 0, rows: [], now };
    if (where.textOnly) return this.search(where.textOnly, offset, limit, now);
    const { clause, params } = where;
    const total = this.countFromAggregates(filter, now) ?? (this.stmt(`SELECT count(*) AS n FROM incidents ${clause}`).get(...params) as { n: number }).n;
    const rows = this.stmt(`SELECT ${LIST_COLUMNS} FROM incidents ${clause} ORDER BY list_key, rid LIMIT ? OFFSET ?`).all(...params, limit, offset);
    return { total, now, rows: (rows as ListRow[]).map(toListRow) };
  }

  /**
   * The list filter as a WHERE clause on `incidents`, shared by every view of incidents (the list,
   * the map). Null when nothing can match; `textOnly` holds the match expression when the search
   * text is the only criterion (the list has a faster path for that; others may use `clause`).
   */
  filterWhere(filter: Filter, now = this.options.now()): { clause: string; params: unknown[]; textOnly: string | null } | null {
    const where: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: readonly unknown[]) => {
      if (!values.length) return;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    if (filter.overdueOnly) {
      const statuses = filter.statuses.length ? filter.statuses.filter((s) => s !== 'closed') : OPEN_STATUSES;
      if (!statuses.length) return null;
      inList('status', statuses);
      // For open incidents list_key is the deadline: a range on the list index (migration 002).
      where.push('list_key < ?');
      params.push(now);
    } else {
      inList('status', filter.statuses);
    }
    inList('category', filter.categories);
    inList('priority', filter.priorities);
    inList('source', filter.sources);
    inList('grid_id', filter.grids);
    if (filter.from !== undefined) {
      where.push('occurred_at >= ?');
      params.push(filter.from);
    }
    if (filter.to !== undefined) {
      where.push('occurred_at < ?');
      params.push(filter.to);
    }
    let textOnly: string | null = null;
    if (filter.text) {
      const match = searchQuery(filter.text);
      if (!match) return null;
      if (!where.length) textOnly = match;
      where.push('rid IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)');
      params.push(match);
    }
    return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params, textOnly };
  }

  /**
   * The search box alone (text, no other filter). The old shape, `rid IN (matches) ORDER BY
   * deadline`, looked every match up in the incidents table (~1–2 µs each), so a common bigram took
   * 200 ms at 1M incidents (纠纷: 175k matches) for the count and again for the page. Here the
   * count comes from the index alone (every incident has exactly one search row, rowid = rid,
   * written in the same transaction), and the page is driven from whichever side is cheaper:
   * the match list for rare terms, or a walk of the list index probing the match list
   * (~0.05 µs a row; it fills a page after about (offset + limit) · incidents / matches rows) for
   * common ones. `+rid` keeps SQLite from driving the query by the match list. Same rows, same order.
   */
  private search(match: string, offset: number, limit: number, now: number): { total: number; rows: IncidentListRow[]; now: number } {
    const total = (this.stmt('SELECT count(*) AS n FROM incident_search WHERE incident_search MATCH ?').get(match) as { n: number }).n;
    if (!total) return { total, rows: [], now };
    const incidents = (this.stmt('SELECT max(rid) AS n FROM incidents').get() as { n: number | null }).n ?? 0;
    const walk = total * total * 25 >= (offset + limit) * incidents;
    const rows = this
      .stmt(
        `SELECT ${LIST_COLUMNS} FROM incidents WHERE ${walk ? '+rid' : 'rid'} IN (SELECT rowid FROM incident_search WHERE incident_search MATCH ?)
         ORDER BY list_key, rid LIMIT ? OFFSET ?`,
      )
      .all(match, limit, offset);
    return { total, now, rows: (rows as ListRow[]).map(toListRow) };
  }

  /**
   * The status bar, from the aggregates migration 009's triggers keep: a few hundred rows summed
   * whatever the size of the store (counting 1M incidents took 24 ms).
   */
  summary(now = this.options.now()): { total: number; open: number; overdue: number } {
    const [today, todayStart] = deadlineDay(now);
    return this.stmt(
      `SELECT (SELECT coalesce(sum(n), 0) FROM incident_counts) AS total,
              (SELECT coalesce(sum(n), 0) FROM incident_open_deadlines) AS open,
              (SELECT coalesce(sum(n), 0) FROM incident_open_deadlines WHERE day < ?)
                + (SELECT count(*) FROM incidents WHERE list_key >= ? AND list_key < ?) AS overdue`,
    ).get(today, todayStart, now) as { total: number; open: number; overdue: number };
  }

  count(): number {
    return (this.stmt('SELECT coalesce(sum(n), 0) AS n FROM incident_counts').get() as { n: number }).n;
  }

  /**
   * A filter's count without visiting its incidents, when the aggregates can answer it: any filter
   * on status, category, priority and source (or none) is a sum over incident_counts; "overdue
   * only", with statuses at most, is whole days of incident_open_deadlines plus today's part on
   * the list index. Null for the rest (time range, text), which count on their indexes.
   */
  private countFromAggregates(filter: Filter, now: number): number | null {
    if (filter.from !== undefined || filter.to !== undefined || filter.text || filter.grids.length) return null;
    const where: string[] = [];
    const params: unknown[] = [];
    const inList = (column: string, values: readonly unknown[]) => {
      if (!values.length) return;
      where.push(`${column} IN (${values.map(() => '?').join(', ')})`);
      params.push(...values);
    };
    if (filter.overdueOnly) {
      if (filter.categories.length || filter.priorities.length || filter.sources.length) return null;
      const statuses = filter.statuses.length ? filter.statuses.filter((s) => s !== 'closed') : [];
      inList('status', statuses);
      const [today, todayStart] = deadlineDay(now);
      const and = where.length ? `AND ${where.join(' AND ')}` : '';
      return (
        this.stmt(
          `SELECT (SELECT coalesce(sum(n), 0) FROM incident_open_deadlines WHERE day < ? ${and})
                + (SELECT count(*) FROM incidents WHERE list_key >= ? AND list_key < ? ${and}) AS n`,
        ).get(today, ...params, todayStart, now, ...params) as { n: number }
      ).n;
    }
    inList('status', filter.statuses);
    inList('category', filter.categories);
    inList('priority', filter.priorities);
    inList('source', filter.sources);
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    return (this.stmt(`SELECT coalesce(sum(n), 0) AS n FROM incident_counts ${clause}`).get(...params) as { n: number }).n;
  }

  /** One immediate transaction: the row, the event, the outbox and the index commit together or not at all. */
  write<T>(fn: () => T): T {
    return this.runInTransaction.immediate(fn) as T;
  }

  private finish(row: IncidentRow, type: EventType, actor: string, at: number, payload: Record<string, unknown>): Change {
    const event = this.log.append({ incidentRid: row.rid, incidentId: row.id, type, actor, at, payload });
    return { incident: toIncident(this.byId.get(row.id)!), event };
  }

  private load(id: string, expectedVersion?: number): IncidentRow {
    const row = this.byId.get(id);
    if (!row) throw ContractError.notFound(`no incident with id ${id}`, { reason: 'incidents.not_found' });
    if (expectedVersion !== undefined && row.version !== expectedVersion) {
      throw ContractError.conflict(
        `incident ${row.code} was changed by someone else (version ${row.version}, you had ${expectedVersion}); reload it and try again`,
        undefined,
        { reason: 'incidents.stale', params: { code: row.code, version: row.version, expected: expectedVersion } },
      );
    }
    return row;
  }

  private requireCategory(code: string, path: string): { default_deadline_hours: number } {
    const category = this.categoryStmt.get(code);
    if (!category) throw ContractError.validation(`unknown category "${code}"`, [{ path, message: 'unknown category', reason: 'incidents.unknown_category', params: { category: code } }], { reason: 'incidents.unknown_category', params: { category: code } });
    return category;
  }

  private checkTimes(occurredAt: number, deadline: number | undefined, now: number, prefix: string, blame: 'deadline' | 'occurredAt' = 'deadline'): void {
    if (occurredAt > now + FUTURE_TOLERANCE_MS) {
      throw ContractError.validation('the time it happened is in the future', [{ path: `${prefix}.occurredAt`, message: 'in the future', reason: 'incidents.in_future' }], {
        reason: 'incidents.in_future',
      });
    }
    if (deadline !== undefined && deadline <= occurredAt) {
      const reason = blame === 'deadline' ? 'incidents.deadline_before_occurred' : 'incidents.occurred_after_deadline';
      throw ContractError.validation('the deadline must be after the time it happened', [
        { path: `${prefix}.${blame}`, message: blame === 'deadline' ? 'before the time it happened' : 'after the deadline', reason },
      ], { reason: 'incidents.deadline_before_occurred' });
    }
  }
}
