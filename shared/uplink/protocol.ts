import { z } from 'zod';

/**
 * The wire protocol between a town's console and the city platform, over MQTT (QoS 1, JSON).
 * Versioned: every message carries `v`; a receiver refuses a version it does not know (with a
 * reason sent back), never guesses. Topic layout, per town (`root` is `city/v1` by default):
 *
 *   <root>/towns/<town>/events      town → city   EventBatch: outbox rows in sequence order
 *   <root>/towns/<town>/acks        city → town   Ack (delivered up to seq N + the city's chain head) or Refusal
 *   <root>/towns/<town>/directives  city → town   Directive (交办 / 督办)
 *   <root>/towns/<town>/reports     town → city   Refusal of a message the town could not accept
 *   <root>/towns/<town>/status      town → city   LinkStatus, retained; the will says offline
 */
export const PROTOCOL_VERSION = 1;
export const DEFAULT_TOPIC_ROOT = 'city/v1';

export const TownCode = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'letters, digits, - and _ only (at most 64)' });
const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
const Uuid = z.uuid();
const Time = z.number().int().min(Date.UTC(2000, 0, 1)).max(Date.UTC(2100, 0, 1));

export const TOPIC_KINDS = ['events', 'acks', 'directives', 'reports', 'status'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

export function townTopic(root: string, town: string, kind: TopicKind): string {
  return `${root}/towns/${town}/${kind}`;
}

/** `<root>/towns/<town>/<kind>` → its parts, or null for a topic outside the layout. */
export function parseTownTopic(root: string, topic: string): { town: string; kind: TopicKind } | null {
  const prefix = `${root}/towns/`;
  if (!topic.startsWith(prefix)) return null;
  const [town, kind, ...rest] = topic.slice(prefix.length).split('/');
  if (rest.length || !town || !TownCode.safeParse(town).success) return null;
  return (TOPIC_KINDS as readonly string[]).includes(kind ?? '') ? { town, kind: kind as TopicKind } : null;
}

/**
 * One event of the town's hash-chained log, exactly as hashed: the city recomputes
 * sha256(seq ␟ id ␟ incidentId ␟ type ␟ actor ␟ at ␟ payload ‖ prevHash) and checks the link.
 * `payload` is the canonical JSON string as stored (sorted keys), not re-encoded.
 */
export const UpEvent = z
  .object({
    seq: z.number().int().positive(),
    id: Uuid,
    incidentId: Uuid,
    type: z.string().min(1).max(64),
    actor: z.string().max(200),
    /** When it happened at the town: a case backfilled after an outage keeps its real time. */
    at: Time,
    payload: z.string().max(1_000_000),
    prevHash: Hex32,
    hash: Hex32,
    /** The incident is a drill (演练): the city must keep it out of real figures. */
    drill: z.boolean(),
    /** A drill event sent without its content (setting "drills: withhold"): the link is checked, not the hash. */
    withheld: z.boolean().default(false),
  })
  .strict();
export type UpEvent = z.infer<typeof UpEvent>;

export const MAX_BATCH = 1000;

export const EventBatch = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    kind: z.literal('events'),
    town: TownCode,
    sentAt: Time,
    events: z.array(UpEvent).min(1).max(MAX_BATCH),
  })
  .strict()
  .refine((b) => b.events.every((e, i) => i === 0 || e.seq === b.events[i - 1]!.seq + 1), {
    message: 'events must be consecutive',
    path: ['events'],
  });
export type EventBatch = z.infer<typeof EventBatch>;

/** The city holds everything of this town up to `upTo`, and its chain head there is `head`. */
export const Ack = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    kind: z.literal('ack'),
    town: TownCode,
    upTo: z.number().int().min(0),
    /** Hash of event `upTo` as the city holds it; null when it holds nothing yet. */
    head: Hex32.nullable(),
    at: Time,
  })
  .strict();
export type Ack = z.infer<typeof Ack>;

export const REFUSAL_REASONS = ['malformed', 'unsupported_version', 'wrong_town', 'chain_broken', 'unknown_incident'] as const;
export const RefusalReason = z.enum(REFUSAL_REASONS);
export type RefusalReason = z.infer<typeof RefusalReason>;

/** A message was not accepted; nothing it carried took effect. Sent back, never dropped silently. */
export const Refusal = z
  .object({
    v: z.literal(PROTOCOL_VERSION),
    kind: z.literal('refused'),
    town: TownCode,
    reason: RefusalReason,
    /** For the log and the developer: what exactly did not parse (English, short). */
    detail: z.string().max(500),
    /** The topic of the refused message. */
    topic: z.string().max(300),
    at: Time,
  })
  .strict();
export type Refusal = z.infer<typeof Refusal>;

export const DIRECTIVE_MODES = ['assign', 'supervise'] as const;
/** 交办 (assigned to the town) or 督办 (supervised, with a deadline). */
export const DirectiveMode = z.enum(DIRECTIVE_MODES);
export type DirectiveMode = z.infer<typeof DirectiveMode>;

export const DirectiveCase = z
  .object({
    category: z.string().min(1).max(64),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(5000).default(''),
    location: z.object({ lon: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).nullable().default(null),
    occurredAt: Time,
  })
  .strict();
export type DirectiveCase = z.infer<typeof DirectiveCase>;

export const DirectiveBody = z
  .object({
    /** The directive's identity at the city: the same id twice is the same directive (one incident). */
    id: Uuid,
    /** A later revision (new deadline, priority, text) updates the incident; an older or equal one is a repeat. */
    revision: z.number().int().min(1).default(1),
    issuer: z.string().trim().min(1).max(200),
    mode: DirectiveMode,
    text: z.string().trim().min(1).max(5000),
    deadline: Time,
    priority: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]),
    issuedAt: Time,
    /** An incident the town already has (by its id), or a new case to open. */
    incidentId: Uuid.nullable().default(null),
    newCase: DirectiveCase.nullable().default(null),
  })
  .strict()
  .refine((d) => (d.incidentId === null) !== (d.newCase === null), {
    message: 'a directive names either an existing incident or a new case',
    path: ['incidentId'],
  });
export type DirectiveBody = z.infer<typeof DirectiveBody>;

export const Directive = z
  .object({ v: z.literal(PROTOCOL_VERSION), kind: z.literal('directive'), town: TownCode, directive: DirectiveBody })
  .strict();
export type Directive = z.infer<typeof Directive>;

export const LinkStatusMessage = z
  .object({ v: z.literal(PROTOCOL_VERSION), kind: z.literal('status'), town: TownCode, online: z.boolean(), at: Time })
  .strict();
export type LinkStatusMessage = z.infer<typeof LinkStatusMessage>;

const SCHEMAS = {
  events: EventBatch,
  acks: z.union([Ack, Refusal]),
  directives: Directive,
  reports: Refusal,
  status: LinkStatusMessage,
} as const;

export type MessageOf<K extends TopicKind> = z.infer<(typeof SCHEMAS)[K]>;

export type Decoded<K extends TopicKind> =
  | { ok: true; message: MessageOf<K> }
  | { ok: false; reason: RefusalReason; detail: string };

/**
 * Parses a message received on a topic of `kind` for `town`. Never throws: anything that is not
 * JSON, not this protocol's version, or not the shape of the topic is refused with a reason.
 */
export function decodeMessage<K extends TopicKind>(kind: K, town: string, raw: { toString(): string } | string): Decoded<K> {
  let value: unknown;
  try {
    value = JSON.parse(typeof raw === 'string' ? raw : raw.toString());
  } catch {
    return { ok: false, reason: 'malformed', detail: 'not JSON' };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'malformed', detail: 'not a JSON object' };
  const v = (value as { v?: unknown }).v;
  if (v !== PROTOCOL_VERSION) {
    return {
      ok: false,
      reason: typeof v === 'number' && Number.isInteger(v) ? 'unsupported_version' : 'malformed',
      detail: typeof v === 'number' ? `protocol version ${v}; this side speaks ${PROTOCOL_VERSION}` : 'no protocol version',
    };
  }
  const parsed = SCHEMAS[kind].safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const detail = first ? `${first.path.join('.') || '(message)'}: ${first.message}` : 'invalid';
    return { ok: false, reason: 'malformed', detail: detail.slice(0, 500) };
  }
  const message = parsed.data as MessageOf<K> & { town: string };
  if (message.town !== town) return { ok: false, reason: 'wrong_town', detail: `message for ${message.town} on ${town}'s topic` };
  return { ok: true, message };
}

export function encodeMessage(message: EventBatch | Ack | Refusal | Directive | LinkStatusMessage): string {
  return JSON.stringify(message);
}
