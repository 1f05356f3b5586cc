/**
 * Which streams this renderer asks the core to transcode to H.264: those whose ONVIF profile says
 * H.265 when MSE cannot play H.265 here (Chromium without a hardware decoder), and any stream whose
 * init segment MSE refused (a camera that reports H264 but sends H.265). Only those streams: every
 * other one is relayed as the camera sends it.
 */
import { codecLabel, isHevc, type MediaProfile } from '@shared';

const HEVC_TYPES = ['video/mp4; codecs="hvc1.1.6.L93.B0"', 'video/mp4; codecs="hev1.1.6.L93.B0"'];
let hevcPlayable: boolean | undefined;

export function canPlayHevc(): boolean {
  hevcPlayable ??= typeof MediaSource !== 'undefined' && HEVC_TYPES.some((type) => MediaSource.isTypeSupported(type));
  return hevcPlayable;
}

/** camera:profile → the codec MSE refused, learnt while this window is open. */
const refused = new Map<string, string>();
const key = (cameraId: string, profileToken: string) => `${cameraId}:${profileToken}`;

/** The codec to transcode from (e.g. `H.265`), or null to play the stream as the camera sends it. */
export function transcodeFrom(cameraId: string, profile: MediaProfile): string | null {
  const learnt = refused.get(key(cameraId, profile.token));
  if (learnt) return learnt;
  return isHevc(profile.encoding) && !canPlayHevc() ? codecLabel(profile.encoding) : null;
}

/** MSE refused this stream's type: from now on, every tile of it asks for H.264. */
export function rememberRefused(cameraId: string, profileToken: string, mime: string): void {
  refused.set(key(cameraId, profileToken), codecLabel(mime));
}
