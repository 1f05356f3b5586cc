import { ContractError } from '@shared';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { issueMessage, zodIssueMessage } from '../../../app/errors';

/** Field name → translated message. */
export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

/**
 * Maps a form check's zod issues to fields. `fieldOf` receives the dotted path without the command
 * prefix (`draft.`, `patch.`, `transition.`) and returns the field to show it on, or undefined;
 * `input` is what was parsed (it tells a missing field from a wrong one).
 */
export function zodFieldErrors<F extends string>(
  error: z.ZodError,
  fieldOf: (path: string) => F | undefined,
  t: TFunction,
  input?: unknown,
): { fields: FieldErrors<F>; unmapped: string[] } {
  const fields: FieldErrors<F> = {};
  const unmapped: string[] = [];
  for (const issue of error.issues) {
    const message = zodIssueMessage(issue, t, input);
    const field = fieldOf(issue.path.map(String).join('.'));
    if (field) fields[field] ??= message;
    else unmapped.push(message);
  }
  return { fields, unmapped };
}

/** One zod issue of a form check, translated by its reason (see zodIssueMessage in app/errors.ts). */
export function translateZodIssue(issue: z.core.$ZodIssue, t: TFunction, input?: unknown): string {
  return zodIssueMessage(issue, t, input);
}

const PREFIXES = /^(draft|patch|transition)\.?/;

/** Server-side `validation` errors: `ContractError.issues[].path` like `draft.title`, each with its reason. */
export function serverFieldErrors<F extends string>(
  error: unknown,
  fieldOf: (path: string) => F | undefined,
  t: TFunction,
): { fields: FieldErrors<F>; unmapped: string[] } | null {
  if (!(error instanceof ContractError) || error.code !== 'validation') return null;
  const fields: FieldErrors<F> = {};
  const unmapped: string[] = [];
  for (const issue of error.issues) {
    const path = issue.path.replace(PREFIXES, '');
    const message = issueMessage(issue, t);
    const field = fieldOf(path);
    if (field) fields[field] ??= message;
    else unmapped.push(message);
  }
  if (!error.issues.length) unmapped.push(issueMessage(error, t));
  return { fields, unmapped };
}
