import { z } from 'zod';
import { ERROR_REASONS, type ErrorReason } from './error-reasons';

export { ERROR_REASONS, type ErrorReason } from './error-reasons';

export const ERROR_CODES = ['validation', 'not_found', 'conflict', 'forbidden', 'internal', 'refused'] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/**
 * Parameters of an error reason (a limit, a field, a state…). Scalars only: the renderer puts them
 * into its translated sentence; core never sends prose for the UI to parse.
 */
export const ErrorParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type ErrorParams = z.infer<typeof ErrorParams>;

const Reason = z.enum(ERROR_REASONS);

export const FieldIssue = z.object({
  /** Dotted path into the input, e.g. `draft.title`; empty for the input as a whole. */
  path: z.string(),
  /** English, for logs and developers; the UI shows `reason` + `params` translated. */
  message: z.string(),
  reason: Reason.optional(),
  params: ErrorParams.optional(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  code: ErrorCode,
  /** English, for logs and developers; never matched by the renderer. */
  message: z.string(),
  /** What exactly went wrong, one of ERROR_REASONS; the renderer translates reason + params. */
  reason: Reason.optional(),
  params: ErrorParams.optional(),
  issues: z.array(FieldIssue).optional(),
  /** For conflicts on the lifecycle: the actions that are allowed instead. */
  allowed: z.array(z.string()).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Every transport carries this envelope, so errors look the same over IPC, WebSocket and memory. */
export const Envelope = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorBody }),
]);
export type Envelope = { ok: true; value: unknown } | { ok: false; error: ErrorBody };

/** The machine-readable part of an error: a reason from ERROR_REASONS and its parameters. */
export interface ErrorDetail {
  reason?: ErrorReason;
  params?: ErrorParams;
}

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly reason: ErrorReason | undefined;
  readonly params: ErrorParams;
  readonly issues: FieldIssue[];
  readonly allowed: string[];

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ContractError';
    this.code = body.code;
    this.reason = body.reason;
    this.params = body.params ?? {};
    this.issues = body.issues ?? [];
    this.allowed = body.allowed ?? [];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.reason) body.reason = this.reason;
    if (Object.keys(this.params).length) body.params = this.params;
    if (this.issues.length) body.issues = this.issues;
    if (this.allowed.length) body.allowed = this.allowed;
    return body;
  }

  static validation(message: string, issues: FieldIssue[] = [], detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'validation', message, issues, ...detail });
  }
  static notFound(message: string, detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'not_found', message, ...detail });
  }
  static conflict(message: string, allowed?: string[], detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'conflict', message, allowed, ...detail });
  }
  static forbidden(message: string, detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'forbidden', message, ...detail });
  }
  /** One field is wrong: a validation error whose single issue (at `path`) carries the same reason and params. */
  static field(path: string, reason: ErrorReason, message: string, params: ErrorParams = {}, issueMessage = message): ContractError {
    const detail: ErrorDetail = Object.keys(params).length ? { reason, params } : { reason };
    return new ContractError({ code: 'validation', message, issues: [{ path, message: issueMessage, ...detail }], ...detail });
  }
  /** The core cannot do this right now (disk full, store read-only, link down): `reason` says why. */
  static refused(message: string, detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'refused', message, ...detail });
  }
}

/**
 * For a schema's own rule (refine, superRefine): the English message for logs, and the reason and
 * params the UI translates. zod carries `params` on custom issues; issueDetail reads them back.
 */
export function because(reason: ErrorReason, message: string, params: ErrorParams = {}): { message: string; params: ErrorParams } {
  return { message, params: { reason, ...params } };
}

const isReason = (value: unknown): value is ErrorReason => typeof value === 'string' && (ERROR_REASONS as readonly string[]).includes(value);
const scalar = (value: unknown): string | number | boolean | null =>
  typeof value === 'bigint' ? Number(value) : typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : value === null ? null : String(value);

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let node = input;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/**
 * A zod issue → reason + params, by the issue's code (and, for a missing field, the input at its
 * path): the one mapping the dispatcher and the renderer's own form checks share.
 */
export function issueDetail(issue: z.core.$ZodIssue, input?: unknown): Required<ErrorDetail> {
  switch (issue.code) {
    case 'custom': {
      const { reason, ...rest } = (issue.params ?? {}) as Record<string, unknown>;
      const params: ErrorParams = {};
      for (const [key, value] of Object.entries(rest)) params[key] = scalar(value);
      return isReason(reason) ? { reason, params } : { reason: 'validation.invalid', params: {} };
    }
    case 'invalid_type': {
      const value = 'input' in issue ? issue.input : input === undefined ? undefined : valueAt(input, issue.path);
      if (value === undefined || value === null) return { reason: 'validation.required', params: {} };
      if (issue.expected === 'int') return { reason: 'validation.not_an_integer', params: {} };
      if (issue.expected === 'number') return { reason: 'validation.not_a_number', params: {} };
      return { reason: 'validation.invalid', params: { expected: String(issue.expected) } };
    }
    case 'too_small': {
      const min = scalar(issue.minimum);
      if (issue.origin === 'string') return Number(min) <= 1 ? { reason: 'validation.required', params: {} } : { reason: 'validation.too_short', params: { min } };
      if (issue.origin === 'array' || issue.origin === 'set') return { reason: 'validation.too_few', params: { min } };
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return { reason: 'validation.too_small', params: { min } };
      return { reason: 'validation.invalid', params: {} };
    }
    case 'too_big': {
      const max = scalar(issue.maximum);
      if (issue.origin === 'string') return { reason: 'validation.too_long', params: { max } };
      if (issue.origin === 'array' || issue.origin === 'set') return { reason: 'validation.too_many', params: { max } };
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') return { reason: 'validation.too_big', params: { max } };
      if (issue.origin === 'file') return { reason: 'validation.file_too_large', params: { max } };
      return { reason: 'validation.invalid', params: {} };
    }
    case 'invalid_value':
    case 'invalid_union':
      return { reason: 'validation.invalid_option', params: {} };
    case 'invalid_format':
      return issue.format === 'uuid' || issue.format === 'guid' ? { reason: 'validation.invalid_id', params: {} } : { reason: 'validation.invalid', params: {} };
    case 'unrecognized_keys':
      return { reason: 'validation.unknown_field', params: { keys: issue.keys.join(', ') } };
    default:
      return { reason: 'validation.invalid', params: {} };
  }
}

/** zod's issues as the contract's field issues, each with its reason and params (`input` tells a missing field from a wrong one). */
export function issuesFromZod(error: z.ZodError, prefix = '', input?: unknown): FieldIssue[] {
  return error.issues.map((issue) => {
    const { reason, params } = issueDetail(issue, input);
    const out: FieldIssue = { path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'), message: issue.message, reason };
    if (Object.keys(params).length) out.params = params;
    return out;
  });
}
