import { parse as parseCsv } from 'csv-parse/sync';
import { v7 as uuidv7 } from 'uuid';
import {
  ContractError,
  csvUnescape,
  toCsv,
  UNIT_CSV_COLUMNS,
  UNIT_LIMITS,
  UnitDraft,
  issuesFromZod,
  type FieldIssue,
  type Unit,
  type UnitKind,
  type CsvValue,
} from '@shared';
import type { Db } from '../store';

type ParsedDraft = ReturnType<typeof UnitDraft.parse>;

export interface UnitRow {
  rid: number;
  id: string;
  kind: UnitKind;
  name: string;
  phone: string;
  radio_channel: string;
  grids: string;
  capacity: number | null;
  on_duty: number;
  note: string;
  updated_at: number;
  version: number;
}

export function toUnit(row: UnitRow): Unit {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    phone: row.phone,
    radioChannel: row.radio_channel,
    grids: JSON.parse(row.grids) as string[],
    capacity: row.capacity,
    onDuty: row.on_duty === 1,
    note: row.note,
    version: row.version,
  };
}

const DUPLICATE = /UNIQUE constraint failed: units\.kind, units\.name/;
const IN_USE = /FOREIGN KEY constraint failed/;

/** The directory: police stations, committees, lawyers, counsellors, quarantine sites, grid workers. */
export class UnitStore {
  private readonly byIdStmt;
  private readonly insertStmt;
  private readonly updateStmt;

  constructor(
    private readonly db: Db,
    private readonly write: <T>(fn: () => T) => T,
  ) {
    this.byIdStmt = db.prepare<[string], UnitRow>('SELECT * FROM units WHERE id = ?');
    this.insertStmt = db.prepare(
      `INSERT INTO units (id, kind, name, phone, radio_channel, grids, capacity, on_duty, note, updated_at, version)
       VALUES (@id, @kind, @name, @phone, @radio_channel, @grids, @capacity, @on_duty, @note, @at, 1)`,
    );
    this.updateStmt = db.prepare(
      `UPDATE units SET kind = @kind, name = @name, phone = @phone, radio_channel = @radio_channel, grids = @grids,
         capacity = @capacity, on_duty = @on_duty, note = @note, updated_at = @at, version = version + 1 WHERE rid = @rid`,
    );
  }

  list(kind?: UnitKind): Unit[] {
    const rows = kind
      ? this.db.prepare<[string], UnitRow>('SELECT * FROM units WHERE kind = ? ORDER BY name').all(kind)
      : this.db.prepare<[], UnitRow>('SELECT * FROM units ORDER BY kind, name').all();
    return rows.map(toUnit);
  }

  count(): number {
    return this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM units').get()!.n;
  }

  row(id: string): UnitRow {
    const row = this.byIdStmt.get(id);
    if (!row) throw ContractError.notFound(`no unit with id ${id}`, { reason: 'workflows.unit_not_found' });
    return row;
  }

  /** A unit of the expected kind for a field of a command; a validation error on that field otherwise. */
  rowOfKind(id: string, kinds: readonly UnitKind[], path: string): UnitRow {
    const row = this.byIdStmt.get(id);
    if (!row) throw ContractError.field(path, 'workflows.unit_not_in_directory', 'the unit is not in the directory', {}, 'not in the directory');
    if (!kinds.includes(row.kind)) {
      throw ContractError.field(path, 'workflows.unit_kind', `${row.name} is not a ${kinds.join(' or ')}`, { name: row.name, kind: kinds[0]! }, `not a ${kinds.join(' or ')}`);
    }
    return row;
  }

  create(draft: ParsedDraft, at: number): Unit {
    return this.write(() => toUnit(this.byIdStmt.get(this.insert(draft, at, 'draft'))!));
  }

  update(id: string, expectedVersion: number, draft: ParsedDraft, at: number): Unit {
    return this.write(() => {
      const row = this.row(id);
      if (row.version !== expectedVersion) {
        throw ContractError.conflict(`${row.name} was changed by someone else (version ${row.version}, you had ${expectedVersion}); reload and try again`, undefined, {
          reason: 'workflows.unit_stale',
          params: { name: row.name },
        });
      }
      if (row.kind === 'quarantine_site' && draft.capacity !== null) {
        const occupied = this.db
          .prepare<[number], { n: number }>("SELECT count(*) AS n FROM quarantine_persons WHERE site_rid = ? AND status = 'in_quarantine'")
          .get(row.rid)!.n;
        if (draft.capacity < occupied) {
          throw ContractError.field('draft.capacity', 'workflows.unit_occupied', `${occupied} people are in quarantine there now`, { count: occupied }, `at least ${occupied} (people there now)`);
        }
      }
      try {
        this.updateStmt.run({ ...columns(draft), at, rid: row.rid });
      } catch (error) {
        throw translate(error, 'draft');
      }
      return toUnit(this.byIdStmt.get(id)!);
    });
  }

  delete(id: string, expectedVersion: number): void {
    this.write(() => {
      const row = this.row(id);
      if (row.version !== expectedVersion) {
        throw ContractError.conflict(`${row.name} was changed by someone else; reload and try again`, undefined, { reason: 'workflows.unit_stale', params: { name: row.name } });
      }
      try {
        this.db.prepare('DELETE FROM units WHERE rid = ?').run(row.rid);
      } catch (error) {
        if (error instanceof Error && IN_USE.test(error.message)) {
          throw ContractError.conflict(`${row.name} is linked to workflows and stays in the directory (edit it, or mark it off duty)`, undefined, {
            reason: 'workflows.unit_linked',
            params: { name: row.name },
          });
        }
        throw error;
      }
    });
  }

  /**
   * All or nothing: every row is checked first, and one broken row refuses the whole file with
   * every problem listed by line and column, so a half-imported directory never exists.
   */
  importCsv(csv: string, at: number): { imported: number } {
    let records: string[][];
    try {
      records = parseCsv(csv.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw ContractError.field('csv', 'workflows.csv_invalid', 'the file is not valid CSV', {}, message);
    }
    const [header, ...rows] = records;
    const expected = UNIT_CSV_COLUMNS.join(',');
    if (!header || header.map((h) => h.toLowerCase()).join(',') !== expected) {
      throw ContractError.field('csv.1', 'workflows.csv_header', `the first line must be the header: ${expected}`, { header: expected }, `header must be ${expected}`);
    }
    if (!rows.length) throw ContractError.field('csv', 'workflows.csv_empty', 'the file has no rows', {}, 'no rows');
    if (rows.length > UNIT_LIMITS.csvRows) throw ContractError.field('csv', 'workflows.csv_too_many_rows', `at most ${UNIT_LIMITS.csvRows} rows`, { max: UNIT_LIMITS.csvRows }, 'too many rows');

    const issues: FieldIssue[] = [];
    const drafts: { line: number; draft: ParsedDraft }[] = [];
    const seen = new Map<string, number>();
    rows.forEach((raw, index) => {
      const line = index + 2;
      // Our own export escapes formula-leading text with an apostrophe: take it off again.
      const cells = raw.map(csvUnescape);
      if (cells.length !== UNIT_CSV_COLUMNS.length) {
        issues.push({ path: `csv.${line}`, message: `${cells.length} columns, expected ${UNIT_CSV_COLUMNS.length}`, reason: 'workflows.csv_columns', params: { count: cells.length, expected: UNIT_CSV_COLUMNS.length } });
        return;
      }
      const cell = (name: (typeof UNIT_CSV_COLUMNS)[number]) => cells[UNIT_CSV_COLUMNS.indexOf(name)]!;
      const onDuty = cell('on_duty').toLowerCase();
      const capacity = cell('capacity');
      const candidate = {
        kind: cell('kind'),
        name: cell('name'),
        phone: cell('phone'),
        radioChannel: cell('radio_channel'),
        grids: cell('grids') ? cell('grids').split(/[;；]/).map((g) => g.trim()).filter(Boolean) : [],
        capacity: capacity === '' ? null : /^\d+$/.test(capacity) ? Number(capacity) : capacity,
        onDuty: ['1', 'true', 'yes', '是', 'y'].includes(onDuty) ? true : ['0', 'false', 'no', '否', 'n', ''].includes(onDuty) ? false : onDuty,
        note: cell('note'),
      };
      const parsed = UnitDraft.safeParse(candidate);
      if (!parsed.success) {
        issues.push(...issuesFromZod(parsed.error, `csv.${line}`, candidate).map((i) => ({ ...i, path: csvColumnPath(i.path) })));
        return;
      }
      const key = `${parsed.data.kind}\u0000${parsed.data.name}`;
      const earlier = seen.get(key);
      if (earlier) issues.push({ path: `csv.${line}.name`, message: `same kind and name as line ${earlier}`, reason: 'workflows.csv_same_as_line', params: { line: earlier } });
      seen.set(key, line);
      drafts.push({ line, draft: parsed.data });
    });
    const exists = this.db.prepare<[string, string], { n: number }>('SELECT count(*) AS n FROM units WHERE kind = ? AND name = ?');
    for (const { line, draft } of drafts) {
      if (exists.get(draft.kind, draft.name)!.n) issues.push({ path: `csv.${line}.name`, message: 'already in the directory', reason: 'workflows.unit_duplicate' });
    }
    if (issues.length) {
      const lineOf = (issue: FieldIssue) => Number(issue.path.split('.')[1]);
      issues.sort((a, b) => lineOf(a) - lineOf(b));
      const bad = new Set(issues.map((i) => i.path.split('.')[1])).size;
      throw ContractError.validation(`${bad} of ${rows.length} rows have errors; nothing was imported`, issues.slice(0, 200), {
        reason: 'workflows.csv_rows_refused',
        params: { bad, total: rows.length },
      });
    }
    this.write(() => {
      for (const { draft } of drafts) this.insert(draft, at, 'draft');
    });
    return { imported: drafts.length };
  }

  /** Text cells formula-escaped, capacity a number (shared/domain/csv.ts); importCsv reads it back. */
  exportCsv(): string {
    const rows = this.list().map((u): CsvValue[] => [u.kind, u.name, u.phone, u.radioChannel, u.grids.join(';'), u.capacity, u.onDuty ? '1' : '0', u.note]);
    // BOM: Excel on a Chinese Windows PC otherwise opens UTF-8 as GBK.
    return toCsv([UNIT_CSV_COLUMNS, ...rows], { bom: true });
  }

  private insert(draft: ParsedDraft, at: number, path: string): string {
    const id = uuidv7({ msecs: at });
    try {
      this.insertStmt.run({ ...columns(draft), id, at });
    } catch (error) {
      throw translate(error, path);
    }
    return id;
  }
}

function columns(draft: ParsedDraft) {
  return {
    kind: draft.kind,
    name: draft.name,
    phone: draft.phone,
    radio_channel: draft.radioChannel,
    grids: JSON.stringify(draft.grids),
    capacity: draft.capacity,
    on_duty: draft.onDuty ? 1 : 0,
    note: draft.note,
  };
}

function translate(error: unknown, path: string): unknown {
  if (error instanceof Error && DUPLICATE.test(error.message)) {
    return ContractError.field(`${path}.name`, 'workflows.unit_duplicate', 'a unit of this kind with this name is already in the directory', {}, 'already in the directory');
  }
  return error;
}

/** Zod paths use field names; the import report names the CSV column the operator sees. */
function csvColumnPath(path: string): string {
  return path.replace(/\.radioChannel$/, '.radio_channel').replace(/\.onDuty$/, '.on_duty').replace(/\.grids\.\d+$/, '.grids');
}
