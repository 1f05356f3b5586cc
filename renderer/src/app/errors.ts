import { ContractError, ERROR_CODES, type ErrorCode, type ErrorParams, type ErrorReason } from '@shared';
import type { TFunction } from 'i18next';
import { notifications } from '@mantine/notifications';
import { TransportError } from '../transport/ws-transport';
import { actionLabel } from '../features/incidents/common/labels';
import { translateMessage } from '../features/incidents/common/issues';

export type FailureKind = ErrorCode | TransportError['reason'] | 'unknown';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof ContractError) return (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : 'unknown';
  if (error instanceof TransportError) return error.reason;
  return 'unknown';
}

/** Title and body of a failed command, in the operator's language; the core's own words kept below. */
export function describeFailure(error: unknown, t: TFunction): { title: string; message: string; original: string } {
  const kind = failureKind(error);
  const title = t(`errors.${kind}`);
  const original = error instanceof Error ? error.message : String(error);
  if (error instanceof ContractError && error.reason) {
    return { title, message: reasonMessage(error.reason, error.params, t), original: '' };
  }
  if (error instanceof ContractError && error.code === 'conflict') {
    if (error.allowed.length) {
      const actions = error.allowed.map((a) => actionLabel(a, t)).join('、');
      return { title, message: t('errors.conflictAllowed', { actions }), original };
    }
    if (/changed by someone else|version/i.test(error.message)) return { title, message: t('errors.conflictStale'), original };
    if (/no action is allowed/i.test(error.message)) return { title, message: t('errors.conflictNoAction'), original };
  }
  if (error instanceof TransportError && error.reason === 'disconnected') {
    return { title, message: t('errors.disconnectedHint'), original };
  }
  const translated = translateMessage(original, t);
  return { title, message: translated, original: translated !== original ? original : '' };
}

/** The operator's sentence for an error reason sent by core (one key per reason under `errorReasons`). */
export function reasonMessage(reason: ErrorReason, params: ErrorParams, t: TFunction): string {
  return t(`errorReasons.${reason}`, params as Record<string, unknown>);
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
