import type { TFunction } from 'i18next';
import { ContractError } from '@shared';
import { notifyFailure } from '../../app/errors';
import { translateMessage } from '../incidents/common/issues';

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
