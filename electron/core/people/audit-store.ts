import type { AuditFilter, AuditRow, Role } from '@shared';
import type { Db } from '../store';
import type { ActorRef } from '../contract';

interface Row {
  id: number;
  at: number;
  staff_id: string | null;
  staff_name: string;
  roles: string;
  window: string;
  command: string;
  incident_id: string | null;
  incident_code: string | null;
  outcome: string;
  reason: string | null;
  cosigner_name: string | null;
}

export interface AuditEntry {
  at: number;
  actor: ActorRef;
  window: string;
  command: string;
  incidentId: string | null;
  outcome: string;
  reason: string | null;
  cosigner: ActorRef | null;
}

/** The case's code beside its id (incidents.id is unique, so the join is one index lookup per row). */
const SELECT = 'SELECT a.*, i.code AS incident_code FROM audit a LEFT JOIN incidents i ON i.id = a.incident_id';

const toRow = (row: Row): AuditRow => ({
  id: row.id,
  at: row.at,
  staffId: row.staff_id,
  staffName: row.staff_name,
  roles: JSON.parse(row.roles) as Role[],
  window: row.window,
  command: row.command,
  incidentId: row.incident_id,
  incidentCode: row.incident_code,
  outcome: row.outcome,
  reason: row.reason,
  cosignerName: row.cosigner_name,
});

/** Who did what, when, from which window: one row per action (successful changes, logins and failed logins). */
export class AuditStore {
  private readonly insert;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO audit (at, staff_id, staff_name, roles, window, command, incident_id, outcome, reason, cosigner_id, cosigner_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(entry: AuditEntry): void {
    this.insert.run(
      entry.at,
      entry.actor.id,
      entry.actor.name,
      JSON.stringify(entry.actor.roles),
      entry.window,
      entry.command,
      entry.incidentId,
      entry.outcome,
      entry.reason,
      entry.cosigner?.id ?? null,
      entry.cosigner?.name ?? null,
    );
  }

  private where(filter: AuditFilter): { sql: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      clauses.push(clause);
      params.push(value);
    };
    if (filter.staffId) add('a.staff_id = ?', filter.staffId);
    if (filter.command) add('a.command = ?', filter.command);
    if (filter.incidentId) add('a.incident_id = ?', filter.incidentId);
    if (filter.from !== undefined) add('a.at >= ?', filter.from);
    if (filter.to !== undefined) add('a.at < ?', filter.to);
    return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
  }

  list(filter: AuditFilter, offset: number, limit: number): { total: number; rows: AuditRow[] } {
    const { sql, params } = this.where(filter);
    const total = this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM audit a ${sql}`).get(...params)!.n;
    const rows = this.db
      .prepare<unknown[], Row>(`${SELECT} ${sql} ORDER BY a.at DESC, a.id DESC LIMIT ? OFFSET ?`)
      .all(...params, limit, offset);
    return { total, rows: rows.map(toRow) };
  }

  *iterate(filter: AuditFilter): Generator<AuditRow> {
    const { sql, params } = this.where(filter);
    for (const row of this.db.prepare<unknown[], Row>(`${SELECT} ${sql} ORDER BY a.at DESC, a.id DESC`).iterate(...params)) {
      yield toRow(row);
    }
  }
}
