import { ContractError } from '@shared';
import type { TFunction } from 'i18next';
import type { z } from 'zod';

/** Field name → translated message. */
export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

/**
 * Translates the messages the contract produces (zod's own, the schemas' custom ones and the
 * core's) into the operator's language. Unknown messages are shown as they are.
 */
export function translateMessage(message: string, t: TFunction): string {
  const m = message.trim();
  let match: RegExpMatchArray | null;
  if (m === 'required' || /received undefined|received null/i.test(m)) return t('validation.required');
  if ((match = m.match(/^at most (\d+) characters$/i))) return t('validation.tooLong', { max: match[1] });
  if ((match = m.match(/expected string to have <=\s*(\d+) characters?/i))) return t('validation.tooLong', { max: match[1] });
  if ((match = m.match(/expected string to have >=\s*(\d+) characters?/i)))
    return Number(match[1]) <= 1 ? t('validation.required') : t('validation.tooShort', { min: match[1] });
  if ((match = m.match(/expected number to be >=?\s*(-?[\d.]+)/i))) return t('validation.tooSmall', { min: match[1] });
  if ((match = m.match(/expected number to be <=?\s*(-?[\d.]+)/i))) return t('validation.tooBig', { max: match[1] });
  if (/expected number, received (NaN|string)/i.test(m)) return t('validation.notANumber');
  if (m === 'in the future') return t('validation.inFuture');
  if (m === 'before the time it happened') return t('validation.deadlineBeforeOccurred');
  if (m === 'after the deadline') return t('validation.occurredAfterDeadline');
  if (m === 'unknown category') return t('validation.unknownCategory');
  if (m === 'time is before 2000' || m === 'time is after 2100') return t('validation.timeRange');
  if (m === 'the end of the time range must be after its start') return t('validation.rangeEnd');
  if (/^Invalid (option|input)/i.test(m)) return t('validation.invalidOption');
  return message;
}

/** A zod issue, by its code where that is enough, else by its message. */
export function translateZodIssue(issue: z.core.$ZodIssue, t: TFunction): string {
  if (issue.message === 'required') return t('validation.required');
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1 ? t('validation.required') : t('validation.tooShort', { min: String(issue.minimum) });
      }
      if (issue.origin === 'number') {
        return /time is before/.test(issue.message) ? t('validation.timeRange') : t('validation.tooSmall', { min: String(issue.minimum) });
      }
      break;
    case 'too_big':
      if (issue.origin === 'string') return t('validation.tooLong', { max: String(issue.maximum) });
      if (issue.origin === 'number') {
        return /time is after/.test(issue.message) ? t('validation.timeRange') : t('validation.tooBig', { max: String(issue.maximum) });
      }
      break;
    case 'invalid_type':
      if (/received (undefined|null)/.test(issue.message)) return t('validation.required');
      if (issue.expected === 'number') return t('validation.notANumber');
      return t('validation.invalid');
    case 'invalid_value':
    case 'invalid_union':
      return t('validation.invalidOption');
    default:
      break;
  }
  return translateMessage(issue.message, t);
}

/**
 * Maps issue paths to fields. `fieldOf` receives the dotted path without the command prefix
 * (`draft.`, `patch.`, `transition.`) and returns the field to show it on, or undefined.
 */
export function zodFieldErrors<F extends string>(
  error: z.ZodError,
  fieldOf: (path: string) => F | undefined,
  t: TFunction,
): { fields: FieldErrors<F>; unmapped: string[] } {
  const fields: FieldErrors<F> = {};
  const unmapped: string[] = [];
  for (const issue of error.issues) {
    const message = translateZodIssue(issue, t);
    const field = fieldOf(issue.path.map(String).join('.'));
    if (field) fields[field] ??= message;
    else unmapped.push(message);
  }
  return { fields, unmapped };
}

const PREFIXES = /^(draft|patch|transition)\.?/;

/** Server-side `validation` errors: `ContractError.issues[].path` like `draft.title`. */
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
    const message = translateMessage(issue.message, t);
    const field = fieldOf(path);
    if (field) fields[field] ??= message;
    else unmapped.push(message);
  }
  if (!error.issues.length) unmapped.push(translateMessage(error.message, t));
  return { fields, unmapped };
}
