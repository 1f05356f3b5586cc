import { ContractError, type FieldIssue } from '@shared';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { translateMessage, translateZodIssue } from '../incidents/common/issues';

/** The core's and the schemas' own words for workflow input, in the operator's language. */
export function translateWorkflowMessage(message: string, t: TFunction): string {
  const m = message.trim();
  let match: RegExpMatchArray | null;
  if (/check digit/.test(m)) return t('wf.validation.checksum');
  if (/17 digits and a check digit/.test(m)) return t('wf.validation.idFormat');
  if (/birth date in the ID number/.test(m)) return t('wf.validation.idBirth');
  if ((match = m.match(/^capacity exceeded: (\d+) free of (\d+)$/))) return t('wf.validation.capacity', { free: match[1], total: match[2] });
  if (m === 'the end must be after the start') return t('wf.validation.endBeforeStart');
  if (m === 'the end date must be after the start date') return t('wf.validation.endDateBeforeStart');
  if (m === 'not a phone number') return t('wf.validation.phone');
  if (m === 'already in the directory' || /already in the directory/.test(m)) return t('wf.validation.duplicate');
  if (m === 'early release needs a reason') return t('wf.validation.earlyRelease');
  if (m === 'before the start date') return t('wf.validation.beforeStart');
  if (m === 'a quarantine site needs its capacity') return t('wf.validation.needsCapacity');
  if (m === 'only quarantine sites have a capacity') return t('wf.validation.onlySites');
  if (/^not a date/.test(m)) return t('wf.validation.notADate');
  if ((match = m.match(/^more than (\d+) days needs an approver$/))) return t('wf.validation.approver', { days: match[1] });
  if ((match = m.match(/^at most (\d+) days$/))) return t('wf.validation.maxDays', { days: match[1] });
  if ((match = m.match(/^already in quarantine \((.+)\)$/))) return t('wf.validation.alreadyIn', { code: match[1] });
  if (m === 'not in the directory') return t('wf.validation.notInDirectory');
  if (m === 'not later than the current deadline') return t('wf.validation.notLater');
  if (m === 'at least one person') return t('wf.validation.atLeastOne');
  if ((match = m.match(/^must not be shorter than (\w+)$/))) return t('wf.validation.shorter', { field: t(`wf.settings.${match[1]}`) });
  if ((match = m.match(/^(\d+) columns, expected (\d+)$/))) return t('wf.validation.columns', { count: match[1], expected: match[2] });
  if ((match = m.match(/^header must be (.+)$/))) return t('wf.validation.header', { header: match[1] });
  return translateMessage(message, t);
}

/** Field path (without the command's prefix) → translated message; the rest for a line under the form. */
export interface PathErrors {
  fields: Record<string, string>;
  other: string[];
}

export function zodPathErrors(error: z.ZodError, t: TFunction): PathErrors {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.');
    fields[key] ??= issue.code === 'custom' ? translateWorkflowMessage(issue.message, t) : translateZodIssue(issue, t);
  }
  return { fields, other: [] };
}

/** A validation error from core mapped onto the form's fields (`prefix.` removed); null for other errors. */
export function serverPathErrors(error: unknown, prefix: string, t: TFunction): PathErrors | null {
  if (!(error instanceof ContractError) || error.code !== 'validation' || !error.issues.length) return null;
  const fields: Record<string, string> = {};
  const other: string[] = [];
  for (const issue of error.issues as FieldIssue[]) {
    const key = prefix && issue.path.startsWith(`${prefix}.`) ? issue.path.slice(prefix.length + 1) : issue.path;
    const text = translateWorkflowMessage(issue.message, t);
    if (key && key !== prefix) fields[key] ??= text;
    else other.push(text);
  }
  return { fields, other };
}

