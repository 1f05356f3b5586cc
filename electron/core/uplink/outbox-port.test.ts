import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '@shared';
import { DATABASE_FILE, openDatabase, SettingsStore, type Db } from '../store';
import { IncidentStore } from '../incidents/incident-store';
import { Outbox } from './outbox';
import { inlineOutboxPort, workerOutboxPort, type EncodedBatch, type OutboxPort } from './outbox-port';

/**
 * The outbox worker sends the same bytes as the in-thread outbox (it runs the outbox's own mapping
 * from its source text), and its acknowledgements land in the store the serving loop reads.
 */
let dir: string;
let db: Db;
let outbox: Outbox;
const ports: OutboxPort[] = [];
const AT = Date.UTC(2026, 5, 1, 2, 0, 0);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-outbox-port-'));
  db = openDatabase(path.join(dir, DATABASE_FILE));
  const store = new IncidentStore(db, { codePrefix: 'GS', now: () => AT });
  store.write(() => {
    for (const source of ['phone', 'drill', 'grid_report'] as const) {
      const { incident } = store.create(
        { category: 'public_security', title: `测试 ${source}`, description: '引号 " 与换行\n', location: null, gridId: null, source, priority: 3, reporter: '', occurredAt: AT - 60_000 },
        '值班员 张三',
        AT,
      );
      store.comment(incident.id, `备注 ${source}`, '值班员 张三', AT);
    }
  });
  outbox = new Outbox(db, new SettingsStore(db));
});

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const text = (batch: EncodedBatch | null) => new TextDecoder().decode(batch!.bytes);

const worker = () => {
  const port = workerOutboxPort({ file: path.join(dir, DATABASE_FILE), synchronous: 'FULL' });
  ports.push(port);
  return port;
};

describe('the outbox worker', () => {
  it('encodes exactly what the in-thread outbox encodes, drills marked or withheld, and the message decodes', async () => {
    const inline = inlineOutboxPort(outbox);
    const off = worker();
    for (const drills of ['marked', 'withheld'] as const) {
      const request = { town: 'GS', afterSeq: 1, limit: 4, drills, sentAt: AT };
      const [a, b] = await Promise.all([inline.batch(request), off.batch(request)]);
      expect(text(b)).toBe(text(a));
      expect(b).toMatchObject({ firstSeq: 2, lastSeq: 5, count: 4 });
      const decoded = decodeMessage('events', 'GS', text(b));
      expect(decoded.ok).toBe(true);
    }
    const withheld = decodeMessage('events', 'GS', text(await off.batch({ town: 'GS', afterSeq: 0, limit: 10, drills: 'withheld', sentAt: AT })));
    if (!withheld.ok) throw new Error(withheld.detail);
    expect(withheld.message.events.filter((e) => e.withheld).map((e) => [e.drill, e.payload, e.actor])).toEqual([
      [true, '', ''],
      [true, '', ''],
    ]);
    expect(await off.batch({ town: 'GS', afterSeq: 6, limit: 10, drills: 'marked', sentAt: AT })).toBeNull();
  });

  it('records an acknowledgement the serving loop then reads; refuses a head that differs, and one beyond the log', async () => {
    const off = worker();
    expect(outbox.backlog().count).toBe(6);
    expect(await off.acknowledge(4, 'f'.repeat(64), AT)).toEqual({ advanced: false, mismatch: true });
    expect(await off.acknowledge(99, null, AT)).toEqual({ advanced: false, mismatch: false });
    expect(outbox.anchor()).toBeNull();
    const head = outbox.hashAt(4)!;
    expect(await off.acknowledge(4, head, AT + 1)).toEqual({ advanced: true, mismatch: false });
    expect(outbox.anchor()).toEqual({ seq: 4, hash: head, at: AT + 1 });
    expect(outbox.backlog().count).toBe(2);
    expect(db.prepare('SELECT min(seq) AS first, count(*) AS n FROM outbox').get()).toEqual({ first: 5, n: 2 });
    // An older acknowledgement arriving late changes nothing.
    expect(await off.acknowledge(3, outbox.hashAt(3), AT + 2)).toEqual({ advanced: false, mismatch: false });
  });

  it('refuses calls once closed', async () => {
    const off = worker();
    off.close();
    await expect(off.batch({ town: 'GS', afterSeq: 0, limit: 1, drills: 'marked', sentAt: AT })).rejects.toThrow('outbox closed');
  });
});
