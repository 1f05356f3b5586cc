import { z } from 'zod';

export const ERROR_CODES = ['validation', 'not_found', 'conflict', 'forbidden', 'internal'] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const FieldIssue = z.object({
  /** Dotted path into the input, e.g. `draft.title`; empty for the input as a whole. */
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

export const ErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
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

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly issues: FieldIssue[];
  readonly allowed: string[];

  constructor(body: ErrorBody) {
    super(body.message);
    this.name = 'ContractError';
    this.code = body.code;
    this.issues = body.issues ?? [];
    this.allowed = body.allowed ?? [];
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.issues.length) body.issues = this.issues;
    if (this.allowed.length) body.allowed = this.allowed;
    return body;
  }

  static validation(message: string, issues: FieldIssue[] = []): ContractError {
    return new ContractError({ code: 'validation', message, issues });
  }
  static notFound(message: string): ContractError {
    return new ContractError({ code: 'not_found', message });
  }
  static conflict(message: string, allowed?: string[]): ContractError {
    return new ContractError({ code: 'conflict', message, allowed });
  }
  static forbidden(message: string): ContractError {
    return new ContractError({ code: 'forbidden', message });
  }
}

export function issuesFromZod(error: z.ZodError, prefix = ''): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [prefix, ...issue.path.map(String)].filter(Boolean).join('.'),
    message: issue.message,
  }));
}
