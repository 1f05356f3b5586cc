import type { TFunction } from 'i18next';
import { ContractError } from '@shared';
import { notifyFailure } from '../../app/errors';

/** The core's camera messages (electron/core/cameras/handlers.ts CAMERA_MESSAGES) in the operator's language. */
const MESSAGES: Record<string, string> = {
  'camera unreachable': 'cameras.errors.unreachable',
  'wrong user name or password': 'cameras.errors.unauthorized',
  'not an ONVIF camera': 'cameras.errors.notOnvif',
  'camera already registered': 'cameras.errors.duplicate',
  'not a valid ONVIF address': 'cameras.errors.badUrl',
  'unknown camera': 'cameras.errors.unknownCamera',
  'camera has no PTZ': 'cameras.errors.noPtz',
  'camera did not answer': 'cameras.errors.cameraOffline',
  'unknown alarm': 'cameras.errors.unknownAlarm',
  'alarm already handled': 'cameras.errors.alarmHandled',
  'not a JPEG or PNG picture': 'cameras.errors.badImage',
  'picture too large': 'cameras.errors.imageTooLarge',
};

export function cameraMessage(message: string, t: TFunction): string {
  const key = MESSAGES[message.trim()];
  return key ? t(key) : translateMessage(message, t);
}

/** A failed camera command as a notification, with the core's camera messages translated. */
export function notifyCameraFailure(error: unknown, t: TFunction): void {
  notifyFailure(error, t, error instanceof ContractError ? cameraMessage(error.message, t) : undefined);
}

/**
 * The generic validation sentences the cameras' schemas still send as text. Kept here, with the
 * table above, until the cameras domain sends reasons (#18); every other domain's errors are
 * translated by reason in app/errors.ts.
 */
function translateMessage(message: string, t: TFunction): string {
  const m = message.trim();
  let match: RegExpMatchArray | null;
  if (m === 'required' || /received undefined|received null/i.test(m)) return t('errorReasons.validation.required');
  if ((match = m.match(/^at most (\d+) characters$/i))) return t('errorReasons.validation.too_long', { max: match[1] });
  if ((match = m.match(/expected string to have <=\s*(\d+) characters?/i))) return t('errorReasons.validation.too_long', { max: match[1] });
  if ((match = m.match(/expected number to be >=?\s*(-?[\d.]+)/i))) return t('errorReasons.validation.too_small', { min: match[1] });
  if ((match = m.match(/expected number to be <=?\s*(-?[\d.]+)/i))) return t('errorReasons.validation.too_big', { max: match[1] });
  if (/expected number, received (NaN|string)/i.test(m)) return t('errorReasons.validation.not_a_number');
  if (/^Invalid (option|input)/i.test(m)) return t('errorReasons.validation.invalid_option');
  return message;
}
