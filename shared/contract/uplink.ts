import { z } from 'zod';
import { command } from './command';
import { because } from './errors';
import { Cosign } from './people';
import { DirectiveMode, REFUSAL_REASONS, TownCode } from '../uplink/protocol';
import { IncidentStatus, Priority } from '../domain/incident';

export const LINK_STATES = ['not_configured', 'off', 'connecting', 'connected', 'down', 'refused'] as const;
/**
 * not_configured: no broker set; off: switched off by the operator (drills); connecting; connected;
 * down: the broker cannot be reached (retrying); refused: the broker or TLS said no (auth, certificate),
 * retried slowly.
 */
export const LinkState = z.enum(LINK_STATES);
export type LinkState = z.infer<typeof LinkState>;

export const LINK_PROBLEMS = ['network', 'auth', 'tls', 'protocol'] as const;
export const LinkProblem = z.enum(LINK_PROBLEMS);
export type LinkProblem = z.infer<typeof LinkProblem>;

export const LinkStatus = z.object({
  state: LinkState,
  /** Since when the link is in this state (down since…). */
  since: z.number().int(),
  problem: LinkProblem.nullable(),
  /** The library's or TLS's own code (ECONNREFUSED, SELF_SIGNED_CERT_IN_CHAIN, CONNACK 134…), for the reader. */
  detail: z.string().nullable(),
  /** When the next connection attempt is due (down / refused). */
  nextAttemptAt: z.number().int().nullable(),
  attempts: z.number().int(),
  town: z.string().nullable(),
  broker: z.string().nullable(),
  /** The demo's in-process broker and reference city. */
  demo: z.boolean(),
  mqttVersion: z.union([z.literal(4), z.literal(5)]).nullable(),
  backlog: z.number().int(),
  oldestAt: z.number().int().nullable(),
  /** Events per second acknowledged over the last 10 s. */
  sendRate: z.number(),
  lastAckAt: z.number().int().nullable(),
  anchor: z.object({ seq: z.number().int(), hash: z.string(), at: z.number().int() }).nullable(),
  /** The city's head disagreed with the town's own hash at that seq: one side's log was altered. */
  mismatchAt: z.number().int().nullable(),
  lastRefusal: z
    .object({ direction: z.enum(['city', 'town']), reason: z.enum(REFUSAL_REASONS), detail: z.string(), at: z.number().int() })
    .nullable(),
  unsignedDirectives: z.number().int(),
});
export type LinkStatus = z.infer<typeof LinkStatus>;

export const DrillPolicy = z.enum(['marked', 'withheld']);

/** What the link settings show; secrets are write-only (only whether one is set). */
export const LinkConfigView = z.object({
  url: z.string(),
  town: z.string(),
  topicRoot: z.string(),
  mqttVersion: z.union([z.literal(4), z.literal(5)]),
  username: z.string(),
  hasPassword: z.boolean(),
  ca: z.string(),
  cert: z.string(),
  hasKey: z.boolean(),
  drills: DrillPolicy,
  sessionExpiryHours: z.number().int(),
});
export type LinkConfigView = z.infer<typeof LinkConfigView>;

const Pem = z.string().max(20_000).refine((s) => s === '' || s.includes('-----BEGIN '), { message: 'not a PEM block' });

export const LinkConfigInput = z
  .object({
    url: z
      .string()
      .trim()
      .max(500)
      .refine((url) => /^mqtts?:\/\/[^\s/]+(:\d+)?\/?$/.test(url), because('uplink.bad_url', 'mqtt://host:port or mqtts://host:port')),
    town: z.string().trim().refine((town) => TownCode.safeParse(town).success, because('uplink.bad_town', 'letters, digits, - and _ only (at most 64)')),
    topicRoot: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9_/-]+$/).default('city/v1'),
    mqttVersion: z.union([z.literal(4), z.literal(5)]).default(5),
    username: z.string().max(200).default(''),
    /** Absent: keep the stored one; '' clears it. */
    password: z.string().max(500).optional(),
    ca: Pem.default(''),
    cert: Pem.default(''),
    key: Pem.optional(),
    drills: DrillPolicy.default('marked'),
    sessionExpiryHours: z.number().int().min(1).max(24 * 90).default(24 * 7),
  })
  .strict();

export const DirectiveInfo = z.object({
  id: z.string(),
  revision: z.number().int(),
  incidentId: z.string(),
  incidentCode: z.string(),
  incidentTitle: z.string(),
  incidentStatus: IncidentStatus,
  issuer: z.string(),
  mode: DirectiveMode,
  text: z.string(),
  deadline: z.number().int(),
  priority: Priority,
  issuedAt: z.number().int(),
  receivedAt: z.number().int(),
  /** Who signed for it (签收): the logged-in staff member's name and staff number, from their session. */
  signedBy: z.string().nullable(),
  signedByStaffNo: z.string().nullable(),
  signedAt: z.number().int().nullable(),
});
export type DirectiveInfo = z.infer<typeof DirectiveInfo>;

export const LINK_LOG_KINDS = ['up', 'down', 'refused', 'switched_off', 'switched_on', 'town_refused', 'city_refused', 'mismatch', 'configured'] as const;
export const LinkLogKind = z.enum(LINK_LOG_KINDS);
export type LinkLogKind = z.infer<typeof LinkLogKind>;

/**
 * One line of the link's log: the link going down, coming back, being refused, switched off or on.
 * Kept in the store (uplink_log) and pushed as `uplink.logged`, so the duty log reads a shift's
 * link-down / link-up lines by time (`uplink.log` with since/until) and hears new ones as they happen.
 */
export const LinkLogEntry = z.object({
  id: z.number().int(),
  at: z.number().int(),
  kind: LinkLogKind,
  /** A problem (network, auth, tls, protocol) or a refusal reason. */
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  /** Who did it (switch, settings): name and staff number from their session; null when the link itself changed. */
  actor: z.string().nullable(),
  actorStaffNo: z.string().nullable(),
});
export type LinkLogEntry = z.infer<typeof LinkLogEntry>;

/** The city link: its status, settings, the drill switch, its log, and directives from the city. */
export const uplinkCommands = {
  'uplink.status': command(z.object({}).strict(), LinkStatus),
  'uplink.config': command(z.object({}).strict(), LinkConfigView.nullable()),
  /** A settings change: co-signed. */
  'uplink.configure': command(z.object({ config: LinkConfigInput, cosign: Cosign.optional() }).strict(), LinkStatus),
  /** The "disconnect" switch for drills: off closes the link (everything queues), on reconnects. */
  'uplink.switch': command(z.object({ on: z.boolean() }).strict(), LinkStatus),
  /** Newest first; with since/until only the entries in [since, until) (a shift's). */
  'uplink.log': command(
    z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        since: z.number().int().optional(),
        until: z.number().int().optional(),
      })
      .strict(),
    z.array(LinkLogEntry),
  ),
  'directives.list': command(z.object({}).strict(), z.array(DirectiveInfo)),
  /** 签收 by the person on duty (the caller). */
  'directives.sign': command(z.object({ id: z.string().max(100) }).strict(), DirectiveInfo),
} as const;

export const uplinkEvents = {
  /** Pushed on every state change and at most once a second while draining. */
  'uplink.status': LinkStatus,
  'directives.changed': z.object({ id: z.string(), outcome: z.enum(['created', 'linked', 'revised', 'signed']) }),
  /** A new line in the link's log (link down, up, refused, switched off / on by someone). */
  'uplink.logged': LinkLogEntry,
} as const;
