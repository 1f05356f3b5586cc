/**
 * The reference city: a small Node service that subscribes to the city broker, keeps every town's
 * events in its own SQLite, de-duplicates by (town, seq), verifies each town's hash chain, answers
 * with acknowledgements ("everything up to seq N, and my head there is H"), and issues directives
 * (交办 / 督办), following each one from receipt (签收) to feedback (反馈) through the events that
 * come up. Used by the tests, the bench and the demo. See tools/city/README.md for what it is not.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import { v7 as uuidv7 } from 'uuid';
import {
  DEFAULT_TOPIC_ROOT,
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  parseTownTopic,
  type DirectiveBody,
  type EventBatch,
  type RefusalReason,
} from '../../shared/uplink/protocol';
import { GENESIS, townEventHash } from './chain';

export interface CityOptions {
  /** SQLite file of the city (':memory:' for a throwaway city). */
  dbFile: string;
  brokerUrl: string;
  mqtt?: Partial<IClientOptions>;
  topicRoot?: string;
  clientId?: string;
  now?: () => number;
  /** Tests: return false to drop this acknowledgement (the town must send again; one effect). */
  shouldAck?: (town: string, upTo: number) => boolean;
  /** Resend directives a town has not yet confirmed when the town comes online (default true). */
  resendOnOnline?: boolean;
}

export interface TownFigures {
  town: string;
  headSeq: number;
  head: string;
  events: number;
  duplicates: number;
  refusals: number;
  online: boolean;
}

export type DirectiveStatus = 'issued' | 'received' | 'signed' | 'in_progress' | 'feedback' | 'closed';

export interface DirectiveRecord {
  id: string;
  town: string;
  status: DirectiveStatus;
  incidentId: string | null;
  signedBy: string | null;
  /** The signer's staff number at the town (from the receipt's payload). */
  signedByStaffNo: string | null;
  body: DirectiveBody;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS towns (
    town TEXT PRIMARY KEY,
    head_seq INTEGER NOT NULL DEFAULT 0,
    head_hash TEXT NOT NULL,
    duplicates INTEGER NOT NULL DEFAULT 0,
    refusals INTEGER NOT NULL DEFAULT 0,
    online INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  -- (town, seq) is the de-duplication key: a resent event finds its row and has no second effect.
  CREATE TABLE IF NOT EXISTS events (
    town TEXT NOT NULL,
    seq INTEGER NOT NULL,
    id TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    type TEXT NOT NULL,
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    drill INTEGER NOT NULL,
    withheld INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (town, seq)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS directives (
    id TEXT PRIMARY KEY,
    town TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    incident_id TEXT,
    signed_by TEXT,
    issued_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS idx_directives_town_status ON directives (town, status);
  -- Events up the chain find their directive by incident (status changes until feedback).
  CREATE INDEX IF NOT EXISTS idx_directives_incident ON directives (incident_id);
  CREATE TABLE IF NOT EXISTS refusals (
    id INTEGER PRIMARY KEY,
    town TEXT NOT NULL,
    direction TEXT NOT NULL,          -- 'city' (we refused the town's message) or 'town' (the town refused ours)
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    topic TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
`;

/** Status changes of an incident, as the city follows a directive until feedback closes it. */
const STATUS_BY_EVENT: Record<string, DirectiveStatus> = {
  directive_signed: 'signed',
  dispatched: 'in_progress',
  started: 'in_progress',
  feedback_submitted: 'feedback',
  closed: 'closed',
};
const ORDER: DirectiveStatus[] = ['issued', 'received', 'signed', 'in_progress', 'feedback', 'closed'];

export class ReferenceCity {
  readonly db: Database.Database;
  private client: MqttClient | null = null;
  private readonly root: string;
  private readonly now: () => number;
  private readonly stmts;
  /** Counters for tests and the bench. */
  readonly stats = { batches: 0, events: 0, duplicates: 0, refused: 0, acksSent: 0, acksDropped: 0 };

  constructor(private readonly options: CityOptions) {
    if (options.dbFile !== ':memory:') fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
    this.db = new Database(options.dbFile);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    // A city database from before receipts named the signer's staff number.
    const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(directives)').all();
    if (!columns.some((c) => c.name === 'signed_by_staff_no')) this.db.exec('ALTER TABLE directives ADD COLUMN signed_by_staff_no TEXT');
    this.root = options.topicRoot ?? DEFAULT_TOPIC_ROOT;
    this.now = options.now ?? Date.now;
    const db = this.db;
    this.stmts = {
      town: db.prepare<[string], { head_seq: number; head_hash: string }>('SELECT head_seq, head_hash FROM towns WHERE town = ?'),
      addTown: db.prepare(`INSERT OR IGNORE INTO towns (town, head_hash) VALUES (?, '${GENESIS}')`),
      setHead: db.prepare('UPDATE towns SET head_seq = ?, head_hash = ? WHERE town = ?'),
      addDuplicates: db.prepare('UPDATE towns SET duplicates = duplicates + ? WHERE town = ?'),
      addRefusal: db.prepare('UPDATE towns SET refusals = refusals + 1 WHERE town = ?'),
      setOnline: db.prepare('UPDATE towns SET online = ? WHERE town = ?'),
      hashAt: db.prepare<[string, number], { hash: string }>('SELECT hash FROM events WHERE town = ? AND seq = ?'),
      insertEvent: db.prepare(
        `INSERT INTO events (town, seq, id, incident_id, type, actor, at, payload, prev_hash, hash, drill, withheld, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      refusal: db.prepare('INSERT INTO refusals (town, direction, reason, detail, topic, at) VALUES (?, ?, ?, ?, ?, ?)'),
      directive: db.prepare<[string], { id: string; town: string; body: string; status: DirectiveStatus; incident_id: string | null; signed_by: string | null; signed_by_staff_no: string | null }>(
        'SELECT * FROM directives WHERE id = ?',
      ),
      directiveByIncident: db.prepare<[string, string], { id: string; status: DirectiveStatus }>(
        'SELECT id, status FROM directives WHERE town = ? AND incident_id = ?',
      ),
      upsertDirective: db.prepare(
        `INSERT INTO directives (id, town, body, status, incident_id, issued_at) VALUES (?, ?, ?, 'issued', ?, ?)
         ON CONFLICT (id) DO UPDATE SET body = excluded.body`,
      ),
      setDirective: db.prepare(
        'UPDATE directives SET status = ?, incident_id = coalesce(?, incident_id), signed_by = coalesce(?, signed_by), signed_by_staff_no = coalesce(?, signed_by_staff_no) WHERE id = ?',
      ),
      pendingDirectives: db.prepare<[string], { body: string }>("SELECT body FROM directives WHERE town = ? AND status = 'issued' ORDER BY issued_at"),
    };
  }

  /** Connects to the broker and subscribes to every town's events, reports and status. */
  async start(): Promise<void> {
    const client = connect(this.options.brokerUrl, {
      clientId: this.options.clientId ?? 'reference-city',
      clean: false,
      protocolVersion: 5,
      properties: { sessionExpiryInterval: 7 * 24 * 3600 },
      reconnectPeriod: 1000,
      ...this.options.mqtt,
    });
    this.client = client;
    client.on('message', (topic, payload) => {
      try {
        this.onMessage(topic, payload);
      } catch (error) {
        // A message never stops the city: it is logged and the next one is served.
        console.error('city: message failed', topic, error);
      }
    });
    client.on('error', () => {});
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    const topics = ['events', 'reports', 'status', 'directives'].map((k) => `${this.root}/towns/+/${k}`);
    await client.subscribeAsync(topics, { qos: 1 });
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
    this.db.close();
  }

  private topic(town: string, kind: 'acks' | 'directives'): string {
    return `${this.root}/towns/${town}/${kind}`;
  }

  private onMessage(topic: string, payload: Buffer): void {
    const where = parseTownTopic(this.root, topic);
    if (!where) return;
    const { town, kind } = where;
    if (kind === 'events') return this.onEvents(town, topic, payload);
    if (kind === 'reports') {
      const decoded = decodeMessage('reports', town, payload);
      if (decoded.ok) this.recordRefusal(town, 'town', decoded.message.reason, decoded.message.detail, decoded.message.topic);
      return;
    }
    if (kind === 'status') {
      const decoded = decodeMessage('status', town, payload);
      if (!decoded.ok) return;
      this.stmts.addTown.run(town);
      this.stmts.setOnline.run(decoded.message.online ? 1 : 0, town);
      if (decoded.message.online && this.options.resendOnOnline !== false) this.resendPending(town);
      return;
    }
    if (kind === 'directives') {
      // Another city node (or an operator tool) issued it: keep it, to follow it up the chain.
      const decoded = decodeMessage('directives', town, payload);
      if (decoded.ok) this.recordDirective(town, decoded.message.directive);
    }
  }

  private recordRefusal(town: string, direction: 'city' | 'town', reason: RefusalReason, detail: string, topic: string): void {
    this.stmts.addTown.run(town);
    this.stmts.refusal.run(town, direction, reason, detail, topic, this.now());
    this.stmts.addRefusal.run(town);
  }

  private refuse(town: string, topic: string, reason: RefusalReason, detail: string): void {
    this.stats.refused += 1;
    this.recordRefusal(town, 'city', reason, detail, topic);
    this.client?.publish(
      this.topic(town, 'acks'),
      encodeMessage({ v: PROTOCOL_VERSION, kind: 'refused', town, reason, detail, topic, at: this.now() }),
      { qos: 1 },
    );
  }

  private onEvents(town: string, topic: string, payload: Buffer): void {
    const decoded = decodeMessage('events', town, payload);
    if (!decoded.ok) return this.refuse(town, topic, decoded.reason, decoded.detail);
    this.stats.batches += 1;
    const outcome = this.db.transaction(() => this.applyBatch(town, decoded.message)).immediate();
    if (outcome.refused) this.refuse(town, topic, 'chain_broken', outcome.refused);
    this.ack(town, outcome.headSeq, outcome.headHash);
  }

  /**
   * In one transaction: events at or below the head are duplicates (their hash must match what we
   * hold), the next ones must link to the head and hash correctly; a gap stops the batch (the town
   * resends from our head, which the ack tells it).
   */
  private applyBatch(town: string, batch: EventBatch): { headSeq: number; headHash: string; refused: string | null } {
    this.stmts.addTown.run(town);
    const head = this.stmts.town.get(town)!;
    let headSeq = head.head_seq;
    let headHash = head.head_hash;
    let duplicates = 0;
    let refused: string | null = null;
    const receivedAt = this.now();
    for (const e of batch.events) {
      if (e.seq <= headSeq) {
        const held = this.stmts.hashAt.get(town, e.seq);
        if (held && held.hash !== e.hash) {
          refused = `event ${e.seq} differs from the one received before`;
          break;
        }
        duplicates += 1;
        continue;
      }
      if (e.seq !== headSeq + 1) break;
      if (e.prevHash !== headHash) {
        refused = `event ${e.seq} does not link to event ${headSeq}`;
        break;
      }
      if (!e.withheld && townEventHash(e) !== e.hash) {
        refused = `event ${e.seq} does not match its hash`;
        break;
      }
      this.stmts.insertEvent.run(town, e.seq, e.id, e.incidentId, e.type, e.actor, e.at, e.payload, e.prevHash, e.hash, e.drill ? 1 : 0, e.withheld ? 1 : 0, receivedAt);
      this.followDirective(town, e.incidentId, e.type, e.payload, e.actor);
      headSeq = e.seq;
      headHash = e.hash;
      this.stats.events += 1;
    }
    if (headSeq !== head.head_seq) this.stmts.setHead.run(headSeq, headHash, town);
    if (duplicates) {
      this.stmts.addDuplicates.run(duplicates, town);
      this.stats.duplicates += duplicates;
    }
    return { headSeq, headHash, refused };
  }

  /** A directive moves forward (never back) with the events of its incident. */
  private followDirective(town: string, incidentId: string, type: string, payload: string, actor: string): void {
    if (type === 'directive_received') {
      const directiveId = (JSON.parse(payload) as { directiveId?: string }).directiveId;
      if (directiveId) this.advance(directiveId, 'received', incidentId, null);
      return;
    }
    const status = STATUS_BY_EVENT[type];
    if (!status) return;
    const directive = this.stmts.directiveByIncident.get(town, incidentId);
    if (!directive) return;
    let signer: { name: string; staffNo: string | null } | null = null;
    if (type === 'directive_signed') {
      // The receipt names who signed: the event's actor, and their staff number in the payload (a withheld drill event has none).
      let staffNo: string | null = null;
      try {
        const value = (JSON.parse(payload || '{}') as { signerStaffNo?: unknown }).signerStaffNo;
        staffNo = typeof value === 'string' ? value : null;
      } catch {
        staffNo = null;
      }
      signer = { name: actor, staffNo };
    }
    this.advance(directive.id, status, null, signer);
  }

  private advance(id: string, status: DirectiveStatus, incidentId: string | null, signer: { name: string; staffNo: string | null } | null): void {
    const row = this.stmts.directive.get(id);
    if (!row) return;
    const forward = ORDER.indexOf(status) > ORDER.indexOf(row.status);
    this.stmts.setDirective.run(forward ? status : row.status, incidentId, signer?.name ?? null, signer?.staffNo ?? null, id);
  }

  private ack(town: string, upTo: number, head: string): void {
    if (this.options.shouldAck && !this.options.shouldAck(town, upTo)) {
      this.stats.acksDropped += 1;
      return;
    }
    this.stats.acksSent += 1;
    this.client?.publish(
      this.topic(town, 'acks'),
      encodeMessage({ v: PROTOCOL_VERSION, kind: 'ack', town, upTo, head: upTo === 0 ? null : head, at: this.now() }),
      { qos: 1 },
    );
  }

  private recordDirective(town: string, body: DirectiveBody): void {
    this.stmts.addTown.run(town);
    this.stmts.upsertDirective.run(body.id, town, JSON.stringify(body), body.incidentId, body.issuedAt);
  }

  /**
   * Issues a directive to a town (QoS 1 on its directives topic; the broker keeps it in the town's
   * persistent session while the town is offline). Returns the directive as sent.
   */
  async issueDirective(town: string, input: Omit<DirectiveBody, 'id' | 'revision' | 'issuedAt' | 'incidentId' | 'newCase'> & Partial<DirectiveBody>): Promise<DirectiveBody> {
    const body: DirectiveBody = {
      id: input.id ?? uuidv7(),
      revision: input.revision ?? 1,
      issuedAt: input.issuedAt ?? this.now(),
      incidentId: input.incidentId ?? null,
      newCase: input.newCase ?? null,
      issuer: input.issuer,
      mode: input.mode,
      text: input.text,
      deadline: input.deadline,
      priority: input.priority,
    };
    this.recordDirective(town, body);
    await this.client!.publishAsync(this.topic(town, 'directives'), encodeMessage({ v: PROTOCOL_VERSION, kind: 'directive', town, directive: body }), { qos: 1 });
    return body;
  }

  private resendPending(town: string): void {
    for (const row of this.stmts.pendingDirectives.all(town)) {
      const directive = JSON.parse(row.body) as DirectiveBody;
      this.client?.publish(this.topic(town, 'directives'), encodeMessage({ v: PROTOCOL_VERSION, kind: 'directive', town, directive }), { qos: 1 });
    }
  }

  /** Publishes raw bytes on a town's topic (tests: malformed and future-version messages). */
  async publishRaw(town: string, kind: 'acks' | 'directives', payload: string | Buffer): Promise<void> {
    await this.client!.publishAsync(this.topic(town, kind), payload, { qos: 1 });
  }

  town(town: string): TownFigures | null {
    const row = this.db
      .prepare<[string], { town: string; head_seq: number; head_hash: string; duplicates: number; refusals: number; online: number }>('SELECT * FROM towns WHERE town = ?')
      .get(town);
    if (!row) return null;
    const { n } = this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM events WHERE town = ?').get(town)!;
    return { town, headSeq: row.head_seq, head: row.head_hash, events: n, duplicates: row.duplicates, refusals: row.refusals, online: row.online === 1 };
  }

  directive(id: string): DirectiveRecord | null {
    const row = this.stmts.directive.get(id);
    if (!row) return null;
    return {
      id: row.id,
      town: row.town,
      status: row.status,
      incidentId: row.incident_id,
      signedBy: row.signed_by,
      signedByStaffNo: row.signed_by_staff_no,
      body: JSON.parse(row.body) as DirectiveBody,
    };
  }

  refusals(town: string): { direction: string; reason: string; detail: string; topic: string }[] {
    return this.db.prepare<[string], { direction: string; reason: string; detail: string; topic: string }>('SELECT direction, reason, detail, topic FROM refusals WHERE town = ? ORDER BY id').all(town);
  }

  /** Walks a town's chain as the city holds it: every link and (except withheld drill events) every hash. */
  verify(town: string): { ok: boolean; checked: number; problem: string | null } {
    let prev = GENESIS;
    let expected = 1;
    let checked = 0;
    const rows = this.db
      .prepare<[string], { seq: number; id: string; incident_id: string; type: string; actor: string; at: number; payload: string; prev_hash: string; hash: string; withheld: number }>(
        'SELECT * FROM events WHERE town = ? ORDER BY seq',
      )
      .iterate(town);
    for (const r of rows) {
      if (r.seq !== expected) return { ok: false, checked, problem: `event ${expected} is missing` };
      if (r.prev_hash !== prev) return { ok: false, checked, problem: `event ${r.seq} does not link` };
      if (!r.withheld && townEventHash({ ...r, incidentId: r.incident_id, prevHash: r.prev_hash }) !== r.hash) {
        return { ok: false, checked, problem: `event ${r.seq} does not match its hash` };
      }
      prev = r.hash;
      expected += 1;
      checked += 1;
    }
    return { ok: true, checked, problem: null };
  }
}
