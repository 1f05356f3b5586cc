/**
 * Every error the cameras domain sends: a reason from ERROR_REASONS (`cameras.*`) with its params;
 * the English message is for logs only. The renderer translates the reason (errorReasons.cameras.*).
 */
import { ContractError, type ErrorParams, type ErrorReason, type FieldIssue } from '@shared';
import { CameraConnectError } from './driver';

const issue = (path: string, message: string, reason: ErrorReason, params?: ErrorParams): FieldIssue =>
  params ? { path, message, reason, params } : { path, message, reason };

export const cameraErrors = {
  unknownCamera: () => ContractError.notFound('unknown camera', { reason: 'cameras.unknown_camera' }),
  unknownCameraIssue: (path: string) => issue(path, 'unknown camera', 'cameras.unknown_camera'),
  duplicate: () => ContractError.conflict('camera already registered', undefined, { reason: 'cameras.duplicate' }),
  badUrl: () => ContractError.validation('cannot add camera: bad address', [issue('url', 'not a valid ONVIF address', 'cameras.bad_url')]),
  noPtz: () => ContractError.conflict('camera has no PTZ', undefined, { reason: 'cameras.no_ptz' }),
  unknownPreset: (preset: string) =>
    ContractError.validation('unknown preset', [issue('preset', 'unknown preset', 'cameras.unknown_preset', { preset })], {
      reason: 'cameras.unknown_preset',
      params: { preset },
    }),
  unknownAlarm: () => ContractError.notFound('unknown alarm', { reason: 'cameras.unknown_alarm' }),
  alarmHandled: () => ContractError.conflict('alarm already handled', undefined, { reason: 'cameras.alarm_handled' }),
  badImage: () => ContractError.validation('not a picture', [issue('image', 'not a JPEG or PNG picture', 'cameras.bad_image')]),
  imageTooLarge: (maxBytes: number) =>
    ContractError.validation('picture too large', [issue('image', 'picture too large', 'cameras.image_too_large', { maxMb: Math.round(maxBytes / 1_048_576) })]),
  /** The camera did not answer at all (refused, timed out, reset): nothing reached it or came back. */
  noAnswer: (detail: string) => ContractError.conflict(`camera did not answer: ${detail}`, undefined, { reason: 'cameras.no_answer' }),
  /** The camera answered with a SOAP fault or an HTTP error: what it said, for the operator to read. */
  cameraRefused: (code: string, text: string) =>
    ContractError.conflict(`camera answered: ${code} ${text}`, undefined, { reason: 'cameras.camera_fault', params: { code, text } }),
};

/** Why adding (connecting to) a camera failed, on the field the operator must fix. */
export function connectError(error: unknown): ContractError {
  if (error instanceof CameraConnectError) {
    switch (error.reason) {
      case 'unauthorized':
        return ContractError.validation('cannot add camera: unauthorized', [issue('password', 'wrong user name or password', 'cameras.unauthorized')]);
      case 'unreachable':
        return ContractError.validation('cannot add camera: unreachable', [issue('url', 'camera unreachable', 'cameras.unreachable')]);
      case 'not_onvif':
        return ContractError.validation('cannot add camera: not ONVIF', [issue('url', 'not an ONVIF camera', 'cameras.not_onvif')]);
    }
  }
  throw error;
}
