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
  /** The core cannot do this right now (disk full, store read-only, link down): `reason` says why. */
  static refused(message: string, detail: ErrorDetail = {}): ContractError {
    return new ContractError({ code: 'refused', message, ...detail });
  }
}

export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}
