import { ContractError, ERROR_CODES, issueDetail, type ErrorCode, type ErrorParams, type ErrorReason, type FieldIssue } from '@shared';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import { notifications } from '@mantine/notifications';
import { TransportError } from '../transport/ws-transport';
import { actionLabel } from '../features/incidents/common/labels';

/*
 * The one place where errors become words. Core sends a code, a reason (ERROR_REASONS) and scalar
 * params; zod issues in the renderer's own forms get the same reasons (issueDetail in shared). No
 * English is ever matched here or anywhere in the renderer (tests/unit/renderer/no-message-matching.test.ts).
 */

export type FailureKind = ErrorCode | TransportError['reason'] | 'unknown';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ContractError) return (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : 'unknown';
  if (error instanceof TransportError) return error.reason;
  return 'unknown';
}

/** Title and body of a failed command, in the operator's language; the core's own words kept below when there is no reason. */
export function describeFailure(error: unknown, t: TFunction): { title: string; message: string; original: string } {
  const kind = failureKind(error);
  const title = t(`errors.${kind}`);
  const original = error instanceof Error ? error.message : String(error);
  if (error instanceof ContractError && error.code === 'conflict' && error.reason === 'incidents.illegal_action' && error.allowed.length) {
    const actions = error.allowed.map((a) => actionLabel(a, t)).join('、');
    return { title, message: t('errors.conflictAllowed', { actions }), original: '' };
  }
  if (error instanceof ContractError && error.reason) {
    return { title, message: reasonMessage(error.reason, error.params, t), original: '' };
  }
  if (error instanceof TransportError && error.reason === 'disconnected') {
    return { title, message: t('errors.disconnectedHint'), original };
  }
  // No reason (an error from a domain not yet moved to reasons, or not from core): its own words.
  return { title, message: original, original: '' };
}

/** Params the sentences need that core sends as parts or names: a grid file's ring ("hole 2 of polygon 1"), a settings field. */
function derivedParams(reason: ErrorReason, params: ErrorParams, t: TFunction): Record<string, unknown> {
  if (reason === 'workflows.shorter' && typeof params.field === 'string') return { field: t(`wf.settings.${params.field}`) };
  // Co-sign: the act by its name; the co-signer's roles by theirs.
  if (reason === 'auth.cosign_required' && typeof params.act === 'string') return { act: cosignActLabel(params.act, t) };
  if (reason === 'auth.cosign_forbidden' && typeof params.roles === 'string') {
    return { roles: params.roles.split(',').filter(Boolean).map((r) => t(`people.roles.${r}`)).join('、') };
  }
  if (typeof params.hole !== 'number') return {};
  const base = params.hole === 0 ? t('map.problems.outer') : t('map.problems.hole', { n: params.hole });
  return { ring: typeof params.polygon === 'number' ? `${base}${t('map.problems.ofPolygon', { n: params.polygon })}` : base };
}

/** A co-signed act (`incident.close`…) in the operator's language. */
export function cosignActLabel(act: string, t: TFunction): string {
  return t(`people.cosign.acts.${act.replace('.', '_')}`);
}

/** The operator's sentence for an error reason sent by core (one key per reason under `errorReasons`). */
export function reasonMessage(reason: ErrorReason, params: ErrorParams, t: TFunction): string {
  return t(`errorReasons.${reason}`, { ...params, ...derivedParams(reason, params, t) });
}

/** One field issue (from core, or from a zod check in the renderer) in the operator's language. */
export function issueMessage(issue: Pick<FieldIssue, 'reason' | 'params'>, t: TFunction): string {
  const params = issue.params ?? {};
  const text = reasonMessage(issue.reason ?? 'validation.invalid', params, t);
  // A grid file's issues name their feature: "feature 3 (GS-04): …".
  if (typeof params.feature !== 'number') return text;
  return t('map.problems.feature', { index: params.feature, code: params.code ? `（${params.code}）` : '', problem: text });
}

/** A zod issue of the renderer's own form check; `input` (what was parsed) tells a missing field from a wrong one. */
export function zodIssueMessage(issue: z.core.$ZodIssue, t: TFunction, input?: unknown): string {
  return issueMessage(issueDetail(issue, input), t);
}

/** Every failed command ends here unless a form shows it next to its fields. */
export function notifyFailure(error: unknown, t: TFunction, override?: string): void {
  const described = describeFailure(error, t);
  const { title, original } = described;
  const message = override ?? described.message;
  if (!(error instanceof ContractError) && !(error instanceof TransportError)) console.error(error);
  notifications.show({
    color: 'red',
    title,
    message: original && original !== message ? `${message}\n${t('errors.original', { message: original })}` : message,
    autoClose: 8000,
    style: { whiteSpace: 'pre-line' },
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'teal', message, autoClose: 2000 });
}
