import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ContractError,
  commands,
  type CommandInput,
  type ErrorCode,
  type Incident,
  type IncidentDraft,
  type IncidentFilter,
  type IncidentPatch,
  type Transition,
} from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { IncidentStore } from './incident-store';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-06-01 10:00 in Guishan. */
const NOW = Date.UTC(2026, 5, 1, 2, 0, 0);

let dir: string;
let file: string;
let db: Db;
let store: IncidentStore;
let clock: number;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-incidents-'));
  file = path.join(dir, DATABASE_FILE);
  db = openDatabase(file);
  clock = NOW;
  store = new IncidentStore(db, { codePrefix: 'GS', now: () => clock });
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Inputs go through the contract schemas, as the dispatcher does, so defaults are what a window would get.
const parseDraft = (draft: IncidentDraft) => commands['incidents.create'].input.parse({ draft }).draft;
const parsePatch = (patch: IncidentPatch) =>
  commands['incidents.update'].input.parse({ id: '0196a000-0000-7000-8000-000000000000', expectedVersion: 1, patch }).patch;
const parseTransition = (transition: Transition) =>
  commands['incidents.transition'].input.parse({ id: '0196a000-0000-7000-8000-000000000000', expectedVersion: 1, transition }).transition;
const parseFilter = (filter: IncidentFilter = {}) => commands['incidents.list'].input.parse({ filter } satisfies CommandInput<'incidents.list'>).filter;

const draft = (over: Partial<IncidentDraft> = {}): IncidentDraft => ({
  category: 'dispute',
  title: '桂山村邻里宅基地边界纠纷',
  description: '网格员上报，当事双方情绪较激动。',
  location: { lon: 113.8208, lat: 22.1339 },
  gridId: 'GS-01',
  source: 'grid_report',
  priority: 3,
  reporter: '网格员 周敏',
  occurredAt: NOW - 2 * HOUR,
  ...over,
});

const create = (over: Partial<IncidentDraft> = {}, at?: number) => store.create(parseDraft(draft(over)), 'operator', at);
const transition = (incident: Incident, t: Transition, at?: number) =>
  store.transition(incident.id, incident.version, parseTransition(t), 'operator', at);

function expectContractError(fn: () => unknown, code: ErrorCode): ContractError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ContractError);
  expect((caught as ContractError).code).toBe(code);
  return caught as ContractError;
}

/** Everything a failed command must leave untouched. */
function snapshot() {
  return {
    incidents: db.prepare('SELECT * FROM incidents ORDER BY rid').all(),
    events: db.prepare('SELECT seq, id, hash FROM events ORDER BY seq').all(),
    outbox: store.eventLog.outboxStatus(),
    counters: db.prepare('SELECT * FROM code_counters ORDER BY prefix, year').all(),
    search: db.prepare('SELECT count(*) AS n FROM incident_search').get(),
  };
}

const codes = (filter: IncidentFilter = {}, now = clock) => store.list(parseFilter(filter), 0, 500, now).rows.map((r) => r.code);

describe('create', () => {
  it('numbers codes GS-<year>-000001, one serial per year', () => {
    expect(create().incident.code).toBe('GS-2026-000001');
    expect(create().incident.code).toBe('GS-2026-000002');
    expect(create().incident.code).toBe('GS-2026-000003');
  });

  it('takes the year from the Asia/Shanghai calendar', () => {
    const lastOf2026 = Date.UTC(2026, 11, 31, 15, 59, 59); // 23:59:59 in Shanghai
    const firstOf2027 = Date.UTC(2026, 11, 31, 17, 0, 0); // 2027-01-01 01:00 in Shanghai
    clock = firstOf2027 + DAY;
    expect(create({ occurredAt: lastOf2026 - HOUR }, lastOf2026).incident.code).toBe('GS-2026-000001');
    expect(create({ occurredAt: firstOf2027 - HOUR }, firstOf2027).incident.code).toBe('GS-2027-000001');
    expect(create({ occurredAt: firstOf2027 - HOUR }, firstOf2027 + HOUR).incident.code).toBe('GS-2027-000002');
    expect(create({ occurredAt: lastOf2026 - DAY }, lastOf2026 - 1000).incident.code).toBe('GS-2026-000002');
  });

  it('records the incident with its derived fields and a created event', () => {
    const { incident, event } = create();
    expect(incident).toMatchObject({
      category: 'dispute',
      title: '桂山村邻里宅基地边界纠纷',
      description: '网格员上报，当事双方情绪较激动。',
      location: { lon: 113.8208, lat: 22.1339 },
      gridId: 'GS-01',
      source: 'grid_report',
      priority: 3,
      reporter: '网格员 周敏',
      occurredAt: NOW - 2 * HOUR,
      recordedAt: NOW,
      updatedAt: NOW,
      status: 'reported',
      assignee: null,
      assessment: null,
      closedAt: null,
      version: 1,
    });
    expect(event).toMatchObject({ seq: 1, type: 'created', actor: 'operator', at: NOW });
    expect(event.payload).toMatchObject({ code: incident.code, title: incident.title, deadline: incident.deadline, occurredAt: NOW - 2 * HOUR });
    expect(store.eventLog.outboxStatus()).toEqual({ pending: 1, oldestSeq: 1 });
  });

  it("defaults the deadline to the category's term from recording time", () => {
    expect(create({ category: 'dispute' }).incident.deadline).toBe(NOW + 168 * HOUR);
    expect(create({ category: 'fire' }).incident.deadline).toBe(NOW + 24 * HOUR);
    expect(create({ category: 'petition' }).incident.deadline).toBe(NOW + 360 * HOUR);
    expect(create({ category: 'other', occurredAt: NOW - 2 * DAY }, NOW - DAY).incident.deadline).toBe(NOW - DAY + 72 * HOUR);
  });

  it('keeps an explicit deadline, even one already past', () => {
    expect(create({ deadline: NOW + 5 * HOUR }).incident.deadline).toBe(NOW + 5 * HOUR);
    expect(create({ occurredAt: NOW - 3 * DAY, deadline: NOW - DAY }).incident.deadline).toBe(NOW - DAY);
  });

  it('refuses an occurredAt in the future, beyond a little clock drift', () => {
    expect(create({ occurredAt: NOW + 5 * 60_000 }).incident.occurredAt).toBe(NOW + 5 * 60_000);
    const before = snapshot();
    const error = expectContractError(() => create({ occurredAt: NOW + HOUR }), 'validation');
    expect(error.issues).toEqual([{ path: 'draft.occurredAt', message: 'in the future', reason: 'incidents.in_future' }]);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a deadline before (or at) the time it happened', () => {
    for (const deadline of [NOW - 3 * HOUR, NOW - 2 * HOUR]) {
      const error = expectContractError(() => create({ occurredAt: NOW - 2 * HOUR, deadline }), 'validation');
      expect(error.issues.map((i) => i.path)).toEqual(['draft.deadline']);
    }
    expect(store.count()).toBe(0);
  });

  it('refuses an unknown category and does not use up a code', () => {
    const before = snapshot();
    const error = expectContractError(() => create({ category: 'alien_landing' }), 'validation');
    expect(error.issues).toEqual([{ path: 'draft.category', message: 'unknown category', reason: 'incidents.unknown_category', params: { category: 'alien_landing' } }]);
    expect(snapshot()).toEqual(before);
    expect(create().incident.code).toBe('GS-2026-000001');
  });

  it('needs no location', () => {
    const { location: _location, gridId: _gridId, description: _d, reporter: _r, ...minimal } = draft();
    const { incident } = store.create(parseDraft(minimal), 'operator');
    expect(incident).toMatchObject({ location: null, gridId: null, description: '', reporter: '' });
    expect(create({ location: null }).incident.location).toBeNull();
  });
});

describe('update', () => {
  it('records the changes as from/to, bumps the version and leaves the other fields alone', () => {
    const { incident } = create();
    clock = NOW + HOUR;
    const { incident: updated, event } = store.update(incident.id, 1, parsePatch({ title: '渔船泊位使用纠纷', priority: 2 }), 'editor');
    expect(event).toMatchObject({ type: 'updated', actor: 'editor', at: NOW + HOUR, seq: 2 });
    expect(event.payload).toEqual({
      changes: { title: { from: '桂山村邻里宅基地边界纠纷', to: '渔船泊位使用纠纷' }, priority: { from: 3, to: 2 } },
    });
    expect(updated).toEqual({ ...incident, title: '渔船泊位使用纠纷', priority: 2, version: 2, updatedAt: NOW + HOUR });
    expect(store.get(incident.id).incident).toEqual(updated);
  });

  it('records only what really changed', () => {
    const { incident } = create();
    const { event } = store.update(incident.id, 1, parsePatch({ title: incident.title, reporter: '陈海生' }), 'editor');
    expect(event.payload).toEqual({ changes: { reporter: { from: '网格员 周敏', to: '陈海生' } } });
  });

  it('sets and clears the location', () => {
    const { incident } = create({ location: null });
    const moved = store.update(incident.id, 1, parsePatch({ location: { lon: 113.82, lat: 22.13 } }), 'editor');
    expect(moved.incident.location).toEqual({ lon: 113.82, lat: 22.13 });
    expect(moved.event.payload).toEqual({ changes: { location: { from: null, to: { lon: 113.82, lat: 22.13 } } } });
    const cleared = store.update(incident.id, 2, parsePatch({ location: null }), 'editor');
    expect(cleared.incident.location).toBeNull();
  });

  it('refuses a stale expectedVersion with a conflict', () => {
    const { incident } = create();
    store.update(incident.id, 1, parsePatch({ priority: 1 }), 'someone else');
    const before = snapshot();
    const error = expectContractError(() => store.update(incident.id, 1, parsePatch({ priority: 4 }), 'operator'), 'conflict');
    expect(error.message).toMatch(/changed by someone else/);
    expect(snapshot()).toEqual(before);
  });

  it('refuses to edit a closed incident', () => {
    let { incident } = create();
    for (const t of [
      { action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } },
      { action: 'start' },
      { action: 'submit_feedback', result: '已处置' },
      { action: 'close' },
    ] as Transition[]) {
      incident = transition(incident, t).incident;
    }
    const before = snapshot();
    const error = expectContractError(() => store.update(incident.id, incident.version, parsePatch({ title: '改' }), 'operator'), 'conflict');
    expect(error.message).toMatch(/closed/);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a patch that changes nothing', () => {
    const { incident } = create();
    const before = snapshot();
    const error = expectContractError(
      () => store.update(incident.id, 1, parsePatch({ title: incident.title, priority: incident.priority }), 'operator'),
      'validation',
    );
    expect(error.issues).toEqual([{ path: 'patch', message: 'nothing changed', reason: 'validation.nothing_changed' }]);
    expect(snapshot()).toEqual(before);
  });

  it('checks category and times like create does', () => {
    const { incident } = create();
    const before = snapshot();
    expect(expectContractError(() => store.update(incident.id, 1, parsePatch({ category: 'nope' }), 'x'), 'validation').issues[0]?.path).toBe(
      'patch.category',
    );
    expect(
      expectContractError(() => store.update(incident.id, 1, parsePatch({ deadline: incident.occurredAt - 1 }), 'x'), 'validation').issues[0]
        ?.path,
    ).toBe('patch.deadline');
    expect(
      expectContractError(() => store.update(incident.id, 1, parsePatch({ occurredAt: NOW + DAY }), 'x'), 'validation').issues[0]?.path,
    ).toBe('patch.occurredAt');
    expect(snapshot()).toEqual(before);
    // Moving only the time it happened past the deadline it already has.
    const late = create({ occurredAt: NOW - 3 * DAY, deadline: NOW - 2 * DAY }).incident;
    const lateBefore = snapshot();
    expect(
      expectContractError(() => store.update(late.id, 1, parsePatch({ occurredAt: NOW - DAY }), 'x'), 'validation').issues[0],
    ).toEqual({ path: 'patch.occurredAt', message: 'after the deadline', reason: 'incidents.occurred_after_deadline' });
    expect(snapshot()).toEqual(lateBefore);
    expect(store.update(late.id, 1, parsePatch({ occurredAt: NOW - DAY, deadline: NOW + DAY }), 'x').incident.deadline).toBe(NOW + DAY);
  });

  it('refuses an unknown id', () => {
    expectContractError(() => store.update('0196a000-0000-7000-8000-000000000000', 1, parsePatch({ priority: 1 }), 'x'), 'not_found');
  });
});

describe('transitions', () => {
  it('walks the whole loop; each step commits the row and its event together', () => {
    const { incident: created } = create();
    // A second connection sees only committed data.
    const reader = new Database(file, { readonly: true });
    try {
      const committed = () => ({
        row: reader.prepare<[string], { status: string; version: number }>('SELECT status, version FROM incidents WHERE id = ?').get(created.id),
        last: reader.prepare<[], { seq: number; type: string }>('SELECT seq, type FROM events ORDER BY seq DESC LIMIT 1').get(),
        outbox: reader.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()!.n,
      });
      const steps: [Transition, string, string, string[]][] = [
        [{ action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } }, 'dispatched', 'dispatched', ['dispatch', 'start']],
        [{ action: 'dispatch', assignee: { kind: 'grid_worker', name: '网格员 何少华' }, note: '改派' }, 'dispatched', 'dispatched', ['dispatch', 'start']],
        [{ action: 'start' }, 'in_progress', 'started', ['submit_feedback']],
        [{ action: 'submit_feedback', result: '已到场核查' }, 'feedback_submitted', 'feedback_submitted', ['reject_feedback', 'close']],
        [{ action: 'reject_feedback', reason: '请补充现场照片' }, 'in_progress', 'feedback_rejected', ['submit_feedback']],
        [{ action: 'submit_feedback', result: '已补充照片' }, 'feedback_submitted', 'feedback_submitted', ['reject_feedback', 'close']],
        [{ action: 'close', note: '办结' }, 'closed', 'closed', ['assess']],
        [{ action: 'assess', assessment: { score: 5, comment: '处置及时' } }, 'closed', 'assessed', []],
      ];
      let incident = created;
      let step = 0;
      for (const [t, status, eventType, allowed] of steps) {
        step += 1;
        const from = incident.status;
        clock = NOW + step * HOUR;
        const change = transition(incident, t);
        expect(change.incident.status, t.action).toBe(status);
        expect(change.incident.version).toBe(incident.version + 1);
        expect(change.incident.updatedAt).toBe(clock);
        expect(change.event).toMatchObject({ type: eventType, seq: step + 1, at: clock, actor: 'operator' });
        expect(change.event.payload).toMatchObject({ action: t.action, from, to: status });
        expect(committed()).toEqual({ row: { status, version: step + 1 }, last: { seq: step + 1, type: eventType }, outbox: step + 1 });
        expect(store.get(incident.id).allowedActions).toEqual(allowed);
        incident = change.incident;
      }
      expect(incident.assignee).toEqual({ kind: 'grid_worker', name: '网格员 何少华' });
      expect(incident.closedAt).toBe(NOW + 7 * HOUR);
      expect(incident.assessment).toEqual({ score: 5, comment: '处置及时' });
      expect(store.get(incident.id).timeline.map((e) => e.type)).toEqual([
        'created',
        'dispatched',
        'dispatched',
        'started',
        'feedback_submitted',
        'feedback_rejected',
        'feedback_submitted',
        'closed',
        'assessed',
      ]);
      expect(store.eventLog.verify()).toMatchObject({ ok: true, checked: 9 });
    } finally {
      reader.close();
    }
  });

  it('refuses an illegal transition with the allowed actions and leaves nothing behind', () => {
    const { incident } = create();
    const before = snapshot();
    const error = expectContractError(() => transition(incident, { action: 'close' }), 'conflict');
    expect(error.allowed).toEqual(['dispatch']);
    expect(error.message).toMatch(/"close" is not allowed while incident GS-2026-000001 is reported/);
    expect(snapshot()).toEqual(before);
    expect(store.eventLog.verify()).toMatchObject({ ok: true, checked: 1 });
  });

  it('refuses a second assessment with nothing allowed', () => {
    let { incident } = create();
    for (const t of [
      { action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } },
      { action: 'start' },
      { action: 'submit_feedback', result: '已处置' },
      { action: 'close' },
      { action: 'assess', assessment: { score: 4, comment: '' } },
    ] as Transition[]) {
      incident = transition(incident, t).incident;
    }
    const before = snapshot();
    const error = expectContractError(() => transition(incident, { action: 'assess', assessment: { score: 1, comment: '' } }), 'conflict');
    expect(error.allowed).toEqual([]);
    expect(error.message).toMatch(/no action is allowed/);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a stale version and an unknown id', () => {
    const { incident } = create();
    transition(incident, { action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } });
    const before = snapshot();
    expectContractError(() => transition(incident, { action: 'dispatch', assignee: { kind: 'unit', name: '镇应急办' } }), 'conflict');
    expectContractError(() => store.transition('0196a000-0000-7000-8000-000000000000', 1, parseTransition({ action: 'start' }), 'x'), 'not_found');
    expect(snapshot()).toEqual(before);
  });
});

describe('atomicity: a failure after the row update rolls the whole command back', () => {
  beforeEach(() => {
    create({ title: '可疑快艇高速靠岸' });
  });

  /** The event append fails after the incident row (and the search index) were already written. */
  const breakTheOutbox = () =>
    db.exec(`CREATE TRIGGER outbox_broken BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'outbox is broken'); END;`);
  const repairTheOutbox = () => db.exec('DROP TRIGGER outbox_broken');
  const only = () => store.list(parseFilter(), 0, 1).rows[0]!;

  it('transition', () => {
    const { id } = only();
    const before = snapshot();
    breakTheOutbox();
    expect(() => store.transition(id, 1, parseTransition({ action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } }), 'x')).toThrow(
      'outbox is broken',
    );
    expect(snapshot()).toEqual(before);
    expect(store.get(id).incident).toMatchObject({ status: 'reported', version: 1, assignee: null });
    expect(db.inTransaction).toBe(false);
  });

  it('update, including the search index', () => {
    const { id } = only();
    const before = snapshot();
    breakTheOutbox();
    expect(() => store.update(id, 1, parsePatch({ title: '渔船异常靠泊' }), 'x')).toThrow('outbox is broken');
    expect(snapshot()).toEqual(before);
    expect(codes({ text: '快艇' })).toEqual(['GS-2026-000001']);
    expect(codes({ text: '渔船' })).toEqual([]);
  });

  it('comment', () => {
    const { id } = only();
    const before = snapshot();
    breakTheOutbox();
    expect(() => store.comment(id, '补充情况', 'x')).toThrow('outbox is broken');
    expect(snapshot()).toEqual(before);
  });

  it('create, including the code counter', () => {
    const before = snapshot();
    breakTheOutbox();
    expect(() => create({ title: '第二起' })).toThrow('outbox is broken');
    expect(snapshot()).toEqual(before);
    repairTheOutbox();
    expect(create().incident.code).toBe('GS-2026-000002');
    expect(store.eventLog.verify()).toMatchObject({ ok: true, checked: 2 });
  });
});

describe('comment', () => {
  it('appends a commented event and bumps the version', () => {
    const { incident } = create();
    clock = NOW + HOUR;
    const { incident: after, event } = store.comment(incident.id, '当事人已到村委会', 'operator');
    expect(event).toMatchObject({ type: 'commented', payload: { text: '当事人已到村委会' }, at: NOW + HOUR });
    expect(after).toEqual({ ...incident, version: 2, updatedAt: NOW + HOUR });
  });

  it('refuses an unknown id', () => {
    expectContractError(() => store.comment('0196a000-0000-7000-8000-000000000000', 'x', 'x'), 'not_found');
  });
});

describe('get', () => {
  it('returns the incident, its own timeline in seq order and the allowed actions', () => {
    const a = create({ title: '甲' }).incident;
    const b = create({ title: '乙' }).incident;
    store.comment(a.id, 'first', 'x');
    store.comment(b.id, 'other', 'x');
    const dispatched = transition(store.get(a.id).incident, { action: 'dispatch', assignee: { kind: 'unit', name: '桂山派出所' } });
    const got = store.get(a.id);
    expect(got.incident).toEqual(dispatched.incident);
    expect(got.timeline.map((e) => [e.seq, e.type])).toEqual([
      [1, 'created'],
      [3, 'commented'],
      [5, 'dispatched'],
    ]);
    expect(got.timeline[1]).toMatchObject({ actor: 'x', payload: { text: 'first' } });
    expect(got.allowedActions).toEqual(['dispatch', 'start']);
    expect(store.get(b.id).allowedActions).toEqual(['dispatch']);
  });

  it('refuses an unknown id', () => {
    expectContractError(() => store.get('0196a000-0000-7000-8000-000000000000'), 'not_found');
  });
});

describe('list and summary', () => {
  /**
   * Fixture, at NOW:
   *  001 dispute   p3 grid_report  occurred -10d  deadline -2d  reported            (overdue)
   *  002 fire      p1 phone        occurred  -5d  deadline +1d  dispatched
   *  003 smuggling p2 camera_alarm occurred  -3d  deadline -1d  in_progress         (overdue)
   *  004 dispute   p3 phone        occurred  -2d  deadline +5d  feedback_submitted
   *  005 fire      p1 phone        occurred  -1d  deadline -1h  closed              (past deadline, but closed)
   *  006 petition  p2 walk_in      occurred  -1h  deadline +14d reported
   */
  beforeEach(() => {
    const make = (category: string, priority: 1 | 2 | 3 | 4, source: IncidentDraft['source'], occurredAgo: number, deadlineIn: number) =>
      create({ category, priority, source, occurredAt: NOW - occurredAgo, deadline: NOW + deadlineIn }, NOW - occurredAgo + 60_000).incident;
    make('dispute', 3, 'grid_report', 10 * DAY, -2 * DAY);
    const i2 = make('fire', 1, 'phone', 5 * DAY, DAY);
    const i3 = make('smuggling', 2, 'camera_alarm', 3 * DAY, -DAY);
    const i4 = make('dispute', 3, 'phone', 2 * DAY, 5 * DAY);
    const i5 = make('fire', 1, 'phone', DAY, -HOUR);
    make('petition', 2, 'walk_in_petition', HOUR, 14 * DAY);
    const unit = { kind: 'unit', name: '桂山派出所' } as const;
    transition(i2, { action: 'dispatch', assignee: unit });
    const walk = (incident: Incident, steps: Transition[]) => steps.reduce((inc, t) => transition(inc, t).incident, incident);
    walk(i3, [{ action: 'dispatch', assignee: unit }, { action: 'start' }]);
    walk(i4, [{ action: 'dispatch', assignee: unit }, { action: 'start' }, { action: 'submit_feedback', result: 'ok' }]);
    walk(i5, [{ action: 'dispatch', assignee: unit }, { action: 'start' }, { action: 'submit_feedback', result: 'ok' }, { action: 'close' }]);
  });

  const c = (...serials: number[]) => serials.map((n) => `GS-2026-${String(n).padStart(6, '0')}`);

  it('lists open incidents by deadline, then closed ones, with a total and the time it was computed for', () => {
    const result = store.list(parseFilter(), 0, 50);
    expect(result.total).toBe(6);
    expect(result.now).toBe(NOW);
    expect(result.rows.map((r) => r.code)).toEqual(c(1, 3, 2, 4, 6, 5));
    const deadlines = result.rows.filter((r) => r.status !== 'closed').map((r) => r.deadline);
    expect(deadlines).toEqual([...deadlines].sort((a, b) => a - b));
    expect(result.rows[1]).toEqual({
      id: expect.any(String),
      code: 'GS-2026-000003',
      category: 'smuggling',
      title: '桂山村邻里宅基地边界纠纷',
      source: 'camera_alarm',
      priority: 2,
      occurredAt: NOW - 3 * DAY,
      deadline: NOW - DAY,
      status: 'in_progress',
      assignee: { kind: 'unit', name: '桂山派出所' },
    });
  });

  it('pages with offset and limit, the total staying the same', () => {
    const page = store.list(parseFilter(), 2, 2);
    expect(page.total).toBe(6);
    expect(page.rows.map((r) => r.code)).toEqual(c(2, 4));
    expect(store.list(parseFilter(), 6, 2).rows).toEqual([]);
  });

  it('filters by status', () => {
    expect(codes({ statuses: ['reported'] })).toEqual(c(1, 6));
    expect(codes({ statuses: ['in_progress', 'closed'] })).toEqual(c(3, 5));
  });

  it('filters by category, priority and source', () => {
    expect(codes({ categories: ['fire'] })).toEqual(c(2, 5));
    expect(codes({ categories: ['fire', 'petition'] })).toEqual(c(2, 6, 5));
    expect(codes({ categories: ['no_such_category'] })).toEqual([]);
    expect(codes({ priorities: [2] })).toEqual(c(3, 6));
    expect(codes({ sources: ['phone'] })).toEqual(c(2, 4, 5));
  });

  it('filters by when it happened: from inclusive, to exclusive', () => {
    expect(codes({ from: NOW - 5 * DAY })).toEqual(c(3, 2, 4, 6, 5));
    expect(codes({ to: NOW - 5 * DAY })).toEqual(c(1));
    expect(codes({ from: NOW - 5 * DAY, to: NOW - 2 * DAY })).toEqual(c(3, 2));
  });

  it('shows only open incidents past their deadline with overdueOnly', () => {
    expect(codes({ overdueOnly: true })).toEqual(c(1, 3));
    expect(codes({ overdueOnly: true, statuses: ['in_progress', 'dispatched'] })).toEqual(c(3));
    expect(codes({ overdueOnly: true, statuses: ['closed'] })).toEqual([]);
    // A later `now` makes more incidents overdue.
    expect(codes({ overdueOnly: true }, NOW + 2 * DAY)).toEqual(c(1, 3, 2));
  });

  it('combines filters with AND', () => {
    expect(codes({ categories: ['dispute'], statuses: ['reported', 'feedback_submitted'], sources: ['phone'] })).toEqual(c(4));
    expect(codes({ priorities: [1], statuses: ['dispatched'], from: NOW - 6 * DAY, to: NOW })).toEqual(c(2));
    expect(codes({ priorities: [1], overdueOnly: true })).toEqual([]);
    expect(codes({ categories: ['fire'], text: '宅基地', statuses: ['dispatched'] })).toEqual(c(2));
  });

  it('counts total, open and overdue', () => {
    expect(store.summary()).toEqual({ total: 6, open: 5, overdue: 2 });
    expect(store.summary(NOW + 2 * DAY)).toEqual({ total: 6, open: 5, overdue: 3 });
    expect(store.count()).toBe(6);
  });

  it('gives every filter the total of the rows it lists, from the aggregates or the rows, at any time of day', () => {
    // Deadlines earlier and later on the same UTC day as `now`: overdue is whole days from the
    // aggregate plus today's part from the list index.
    const today = Math.floor(NOW / DAY) * DAY;
    create({ category: 'fire', priority: 1, deadline: today + HOUR }, NOW - HOUR);
    create({ category: 'fire', priority: 4, deadline: today + 20 * HOUR, source: 'drill' }, NOW - HOUR);
    const filters: IncidentFilter[] = [
      {},
      { statuses: ['reported'] },
      { statuses: ['reported', 'closed'], categories: ['fire'] },
      { categories: ['dispute', 'fire'], priorities: [1, 3] },
      { sources: ['phone', 'drill'] },
      { overdueOnly: true },
      { overdueOnly: true, statuses: ['reported', 'closed'] },
      { overdueOnly: true, categories: ['fire'] },
      { from: NOW - 5 * DAY },
      { text: '宅基地' },
    ];
    for (const at of [today, NOW - 90 * 60_000, NOW, today + 19 * HOUR, today + 21 * HOUR, NOW + 2 * DAY, NOW + 30 * DAY]) {
      for (const filter of filters) {
        const { total, rows } = store.list(parseFilter(filter), 0, 500, at);
        expect(total, `${JSON.stringify(filter)} at ${new Date(at).toISOString()}`).toBe(rows.length);
      }
      const summary = store.summary(at);
      expect(summary.total).toBe(8);
      expect(summary.open).toBe(7);
      expect(summary.overdue).toBe(store.list(parseFilter({ overdueOnly: true }), 0, 500, at).rows.length);
    }
    expect(store.summary(NOW + 30 * DAY).overdue).toBe(7);
  });
});

describe('categories', () => {
  it('lists the seeded categories in order', () => {
    const categories = store.categories();
    expect(categories).toHaveLength(10);
    expect(categories[0]).toEqual({ code: 'illegal_landing', nameZh: '非法登岸', nameEn: 'Illegal landing', group: 'double_anti', defaultDeadlineHours: 24 });
  });
});
