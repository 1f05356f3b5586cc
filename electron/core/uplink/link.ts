import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import {
  PROTOCOL_VERSION,
  decodeMessage,
  encodeMessage,
  townTopic,
  type LinkLogKind,
  type LinkProblem,
  type LinkState,
  type LinkStatus,
  type RefusalReason,
} from '@shared';
import type { LinkConfig } from './config';
import type { Outbox } from './outbox';
import type { OutboxPort } from './outbox-port';
import { backoffDelay, classifyLinkError } from './backoff';
import { DEFAULT_TIMINGS, type LinkTimings } from './timings';
import type { DirectiveStore, Received } from './directives';

export type LogKind = LinkLogKind;

/** Who acted on the link (the drill switch, the settings): from the window's session. */
export interface LinkActor {
  name: string;
  staffNo: string | null;
}

export interface LinkDeps {
  /** Reads for the status (backlog, anchor) on the serving loop's connection. */
  outbox: Outbox;
  /** Reading and encoding batches, recording acknowledgements: off the serving loop (a worker) where it can be. */
  port: OutboxPort;
  directives: DirectiveStore;
  now(): number;
  /** Link up/down/refused, refusals, the switch: into the link's log, which the duty log reads. */
  log(kind: LogKind, reason: string | null, detail: string | null, actor?: LinkActor | null): void;
  /** A directive was applied: tell the windows. */
  onDirective(result: Exclude<Received, { outcome: 'repeat' | 'refused' }>): void;
  /** The status changed (throttled by the caller's needs: state changes immediately, progress at most 1/s). */
  onStatus(status: LinkStatus): void;
  unsignedDirectives(): number;
  timings?: Partial<LinkTimings>;
  random?: () => number;
}

const SEND_RATE_WINDOW_MS = 10_000;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The town's MQTT connection to the city broker. Delivery is the outbox: events go up in order, in
 * batches, a window at a time; a row leaves the outbox only when the city acknowledges up to its seq
 * on the town's ack topic (a broker PUBACK only says the broker has it). After any failure — lost
 * connection, lost ack, restart — the link sends again from the last acknowledged seq; the city
 * de-duplicates by (town, seq), so a resend never has a second effect. Draining stays off the serving
 * loop: reading, encoding and acknowledging batches run in the outbox worker (outbox-port.ts); this
 * loop only publishes the encoded text and keeps the state, one batch per turn.
 */
export class UplinkLink {
  private config: LinkConfig | null = null;
  private on = true;
  private state: LinkState = 'not_configured';
  private since: number;
  private problem: LinkProblem | null = null;
  private detail: string | null = null;
  private attempts = 0;
  private nextAttemptAt: number | null = null;
  private client: MqttClient | null = null;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private tickTimer: NodeJS.Timeout | null = null;
  private statusTimer: NodeJS.Timeout | null = null;
  private lastError: unknown = null;
  private acked = 0;
  private sentUpTo = 0;
  private lastProgressAt = 0;
  private pumping = false;
  private lastAckAt: number | null = null;
  private readonly ackHistory: { at: number; count: number }[] = [];
  private mismatchAt: number | null = null;
  private lastRefusal: LinkStatus['lastRefusal'] = null;
  private readonly timings: LinkTimings;
  private readonly random: () => number;
  private closed = false;
  /** Counters for tests and the bench. */
  readonly stats = { connects: 0, attempts: 0, batchesSent: 0, eventsSent: 0, resends: 0 };

  constructor(private readonly deps: LinkDeps) {
    this.timings = { ...DEFAULT_TIMINGS, ...deps.timings };
    this.random = deps.random ?? Math.random;
    this.since = deps.now();
    this.acked = deps.outbox.ackedSeq();
  }

  /** (Re)starts the link with this configuration (null: not configured). */
  configure(config: LinkConfig | null, on: boolean): void {
    this.config = config;
    this.on = on;
    this.teardown();
    this.attempts = 0;
    if (!config) return this.setState('not_configured', null, null);
    if (!on) return this.setState('off', null, null);
    this.setState('connecting', null, null);
    this.attempt();
  }

  /** The drill switch: off closes the link (everything queues in the outbox), on reconnects now. */
  switch(on: boolean, actor: LinkActor | null = null): void {
    if (on === this.on && !(on && this.state === 'refused')) return;
    this.deps.log(on ? 'switched_on' : 'switched_off', null, null, actor);
    this.configure(this.config, on);
  }

  /** New events were written: send them soon (the tick would find them within `tickMs` anyway). */
  wake(): void {
    if (this.state === 'connected') void this.pump();
  }

  close(): void {
    this.closed = true;
    this.teardown();
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.statusTimer = null;
  }

  status(): LinkStatus {
    const now = this.deps.now();
    while (this.ackHistory.length && this.ackHistory[0]!.at < now - SEND_RATE_WINDOW_MS) this.ackHistory.shift();
    const acknowledged = this.ackHistory.reduce((n, a) => n + a.count, 0);
    const backlog = this.deps.outbox.backlog();
    return {
      state: this.state,
      since: this.since,
      problem: this.problem,
      detail: this.detail,
      nextAttemptAt: this.nextAttemptAt,
      attempts: this.attempts,
      town: this.config?.town ?? null,
      broker: this.config?.url ?? null,
      demo: this.config?.demo ?? false,
      mqttVersion: this.config?.mqttVersion ?? null,
      backlog: backlog.count,
      oldestAt: backlog.oldestAt,
      sendRate: Math.round((acknowledged / (SEND_RATE_WINDOW_MS / 1000)) * 10) / 10,
      lastAckAt: this.lastAckAt,
      anchor: this.deps.outbox.anchor(),
      mismatchAt: this.mismatchAt,
      lastRefusal: this.lastRefusal,
      unsignedDirectives: this.deps.unsignedDirectives(),
    };
  }

  private setState(state: LinkState, problem: LinkProblem | null, detail: string | null): void {
    const changed = state !== this.state || problem !== this.problem || detail !== this.detail;
    if (state !== this.state) this.since = this.deps.now();
    this.state = state;
    this.problem = problem;
    this.detail = detail;
    if (changed) this.emitStatus(true);
  }

  /** State changes go out at once; progress (backlog, rate) at most once a second. */
  private emitStatus(now = false): void {
    if (this.closed) return;
    if (now) {
      if (this.statusTimer) clearTimeout(this.statusTimer);
      this.statusTimer = null;
      this.deps.onStatus(this.status());
      return;
    }
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      if (!this.closed) this.deps.onStatus(this.status());
    }, 1000);
    this.statusTimer.unref?.();
  }

  private teardown(): void {
    this.generation += 1;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.retryTimer = null;
    this.tickTimer = null;
    this.nextAttemptAt = null;
    const client = this.client;
    this.client = null;
    if (client) client.end(true);
  }

  private topic(kind: 'events' | 'acks' | 'directives' | 'reports' | 'status'): string {
    return townTopic(this.config!.topicRoot, this.config!.town, kind);
  }

  private statusPayload(online: boolean): string {
    return encodeMessage({ v: PROTOCOL_VERSION, kind: 'status', town: this.config!.town, online, at: this.deps.now() });
  }

  private attempt(): void {
    const config = this.config;
    if (!config || !this.on || this.closed) return;
    const generation = ++this.generation;
    this.nextAttemptAt = null;
    this.lastError = null;
    this.stats.attempts += 1;
    const v5 = config.mqttVersion === 5;
    const options: IClientOptions = {
      protocolVersion: config.mqttVersion,
      clientId: `town-${config.town}`,
      // Persistent session: what the city sends while the town is offline waits at the broker.
      clean: false,
      reconnectPeriod: 0,
      connectTimeout: this.timings.connectTimeoutMs,
      keepalive: 30,
      resubscribe: false,
      queueQoSZero: false,
      will: { topic: this.topic('status'), payload: Buffer.from(this.statusPayload(false)), qos: 1, retain: true },
    };
    if (v5) options.properties = { sessionExpiryInterval: config.sessionExpiryHours * 3600 };
    if (config.username) options.username = config.username;
    if (config.password) options.password = config.password;
    if (config.ca) options.ca = config.ca;
    if (config.cert) options.cert = config.cert;
    if (config.key) options.key = config.key;
    if (config.url.startsWith('mqtts:')) options.rejectUnauthorized = true;

    let client: MqttClient;
    try {
      client = connect(config.url, options);
    } catch (error) {
      this.lastError = error;
      this.onClosed(generation);
      return;
    }
    this.client = client;
    client.on('error', (error) => {
      if (generation === this.generation) this.lastError = error;
    });
    client.on('connect', () => {
      if (generation !== this.generation) return;
      this.onConnected(client, generation);
    });
    client.on('close', () => this.onClosed(generation));
    client.on('message', (topic, payload) => {
      if (generation !== this.generation) return;
      this.onMessage(topic, payload);
    });
  }

  private onConnected(client: MqttClient, generation: number): void {
    this.stats.connects += 1;
    this.attempts = 0;
    const wasDown = this.state !== 'connected';
    this.setState('connected', null, null);
    if (wasDown) this.deps.log('up', null, this.config!.url);
    client.subscribe([this.topic('acks'), this.topic('directives')], { qos: 1 });
    client.publish(this.topic('status'), this.statusPayload(true), { qos: 1, retain: true });
    // Everything after the anchor goes again: whatever was in flight when the link broke may be lost.
    this.acked = this.deps.outbox.ackedSeq();
    this.sentUpTo = this.acked;
    this.lastProgressAt = this.deps.now();
    this.tickTimer = setInterval(() => {
      if (generation !== this.generation) return;
      this.tick();
    }, this.timings.tickMs);
    this.tickTimer.unref?.();
    void this.pump();
  }

  private onClosed(generation: number): void {
    if (generation !== this.generation || this.closed) return;
    // This client is finished: the next attempt is a new one (its own generation).
    this.generation += 1;
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
    const client = this.client;
    this.client = null;
    if (client) client.end(true);
    const wasConnected = this.state === 'connected';
    const cause = this.lastError ? classifyLinkError(this.lastError) : { problem: 'network' as const, detail: 'connection closed', refused: false };
    const next: LinkState = cause.refused ? 'refused' : 'down';
    // One line per change of state (connected → down, down → refused …), not one per failed attempt or
    // per change of the error's wording: the duty log reads these as "link down at …, up at …".
    if (wasConnected || this.state !== next) {
      this.deps.log(cause.refused ? 'refused' : 'down', cause.problem, cause.detail);
    }
    this.setState(next, cause.problem, cause.detail);
    const delay = backoffDelay(this.timings.backoff[cause.refused ? 'refused' : 'down'], this.attempts, this.random);
    this.attempts += 1;
    this.nextAttemptAt = this.deps.now() + delay;
    this.emitStatus(true);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, delay);
    this.retryTimer.unref?.();
  }

  private tick(): void {
    if (this.state !== 'connected') return;
    const now = this.deps.now();
    if (this.sentUpTo > this.acked && now - this.lastProgressAt > this.timings.ackTimeoutMs) {
      // No acknowledgement for a while (the city dropped it, or a batch was lost): go back and resend.
      this.stats.resends += 1;
      this.sentUpTo = this.acked;
      this.lastProgressAt = now;
    }
    if (this.deps.outbox.headSeq() > this.sentUpTo) void this.pump();
    this.emitStatus();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const generation = this.generation;
    try {
      const { batchSize, windowEvents } = this.timings;
      while (this.state === 'connected' && generation === this.generation && this.client) {
        const room = windowEvents - (this.sentUpTo - this.acked);
        if (room <= 0) break;
        const afterSeq = this.sentUpTo;
        if (afterSeq === this.acked) this.lastProgressAt = this.deps.now();
        const batch = await this.deps.port.batch({
          town: this.config!.town,
          afterSeq,
          limit: Math.min(batchSize, room),
          drills: this.config!.drills,
          sentAt: this.deps.now(),
        });
        if (!batch || this.state !== 'connected' || generation !== this.generation || !this.client) break;
        // A resend started meanwhile (no ack for too long): this batch is from before it; read again.
        if (afterSeq !== this.sentUpTo) continue;
        this.client.publish(this.topic('events'), Buffer.from(batch.bytes.buffer, batch.bytes.byteOffset, batch.bytes.byteLength), { qos: 1 });
        this.sentUpTo = batch.lastSeq;
        this.stats.batchesSent += 1;
        this.stats.eventsSent += batch.count;
        // One batch per turn of the loop: commands from the windows are served in between.
        await yieldToLoop();
      }
    } catch (error) {
      // The outbox worker failed (it is started again on the next call): treat it as a broken link.
      if (generation === this.generation) this.failConnection(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Ends the current connection as failed (its close runs the usual down/backoff path). */
  private failConnection(error: unknown): void {
    this.lastError = error;
    this.client?.end(true);
  }

  private onMessage(topic: string, payload: Buffer): void {
    const config = this.config!;
    try {
      if (topic === this.topic('acks')) {
        const generation = this.generation;
        // Acks are recorded in order (the worker serves its messages in order); a failure there breaks the link.
        this.onAck(payload).catch((error: unknown) => {
          if (generation === this.generation) this.failConnection(error);
        });
        return;
      }
      if (topic === this.topic('directives')) return this.onDirective(payload);
    } catch (error) {
      // A message must never take the link down: refuse it, report it, go on.
      this.refuse(topic, 'malformed', error instanceof Error ? error.message.slice(0, 300) : 'failed');
    }
    void config;
  }

  private async onAck(payload: Buffer): Promise<void> {
    const decoded = decodeMessage('acks', this.config!.town, payload);
    if (!decoded.ok) return this.refuse(this.topic('acks'), decoded.reason, decoded.detail);
    const message = decoded.message;
    const now = this.deps.now();
    if (message.kind === 'refused') {
      this.lastRefusal = { direction: 'city', reason: message.reason, detail: message.detail, at: now };
      this.deps.log('city_refused', message.reason, message.detail);
      this.emitStatus(true);
      return;
    }
    const result = await this.deps.port.acknowledge(message.upTo, message.head, now);
    if (this.closed) return;
    if (result.mismatch && this.mismatchAt === null) {
      this.mismatchAt = now;
      this.deps.log('mismatch', 'chain_broken', `seq ${message.upTo}`);
      this.emitStatus(true);
    }
    if (!result.advanced || message.upTo <= this.acked) return;
    this.ackHistory.push({ at: now, count: message.upTo - this.acked });
    this.acked = message.upTo;
    if (this.sentUpTo < this.acked) this.sentUpTo = this.acked;
    this.lastAckAt = now;
    this.lastProgressAt = now;
    this.emitStatus();
    void this.pump();
  }

  private onDirective(payload: Buffer): void {
    const decoded = decodeMessage('directives', this.config!.town, payload);
    if (!decoded.ok) return this.refuse(this.topic('directives'), decoded.reason, decoded.detail);
    const result = this.deps.directives.receive(decoded.message.directive, this.deps.now());
    if (result.outcome === 'refused') return this.refuse(this.topic('directives'), result.reason, result.detail);
    if (result.outcome === 'repeat') return;
    this.deps.onDirective(result);
    this.emitStatus(true);
    void this.pump();
  }

  /** The town did not accept a message: nothing of it took effect; the city hears why. */
  private refuse(topic: string, reason: RefusalReason, detail: string): void {
    const now = this.deps.now();
    this.lastRefusal = { direction: 'town', reason, detail, at: now };
    this.deps.log('town_refused', reason, `${topic}: ${detail}`.slice(0, 500));
    this.client?.publish(
      this.topic('reports'),
      encodeMessage({ v: PROTOCOL_VERSION, kind: 'refused', town: this.config!.town, reason, detail, topic, at: now }),
      { qos: 1 },
    );
    this.emitStatus(true);
  }
}
