import type { TFunction } from 'i18next';
import { translateMessage } from '../incidents/common/issues';

/** The core's camera messages (electron/core/cameras/handlers.ts CAMERA_MESSAGES) in the operator's language. */
const MESSAGES: Record<string, string> = {
  'camera unreachable': 'cameras.errors.unreachable',
  'wrong user name or password': 'cameras.errors.unauthorized',
  'not an ONVIF camera': 'cameras.errors.notOnvif',
  'camera already registered': 'cameras.errors.duplicate',
  'not a valid ONVIF address': 'cameras.errors.badUrl',
  'unknown camera': 'cameras.errors.unknownCamera',
};

export function cameraMessage(message: string, t: TFunction): string {
  const key = MESSAGES[message.trim()];
  return key ? t(key) : translateMessage(message, t);
}
