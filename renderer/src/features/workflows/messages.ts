import { ContractError } from '@shared';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { issueMessage, zodIssueMessage } from '../../app/errors';

/** Field path (without the command's prefix) → translated message; the rest for a line under the form. */
export interface PathErrors {
  fields: Record<string, string>;
  other: string[];
}

/** A form check's zod issues by path; `input` is what was parsed (it tells a missing field from a wrong one). */
export function zodPathErrors(error: z.ZodError, t: TFunction, input?: unknown): PathErrors {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    fields[key] ??= zodIssueMessage(issue, t, input);
  }
  return { fields, other: [] };
}

/** A validation error from core mapped onto the form's fields (`prefix.` removed); null for other errors. */
export function serverPathErrors(error: unknown, prefix: string, t: TFunction): PathErrors | null {
  if (!(error instanceof ContractError) || error.code !== 'validation' || !error.issues.length) return null;
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of error.issues) {
    const key = prefix && issue.path.startsWith(`${prefix}.`) ? issue.path.slice(prefix.length + 1) : issue.path;
    const text = issueMessage(issue, t);
    if (key && key !== prefix) fields[key] ??= text;
    else other.push(text);
  }
  return { fields, other };
}
