/**
 * Keeping a live tile near the live edge: how far the playhead is behind the newest buffered frame
 * (the lead) decides what the player does. Too little lead and a frame that arrives a little late
 * is already due, so Chromium drops it; too much and the picture lags. Small gaps are closed by
 * playing slightly slower or faster (invisible); a large one by a jump.
 */

/** More buffered than this ahead of the playhead: jump to the live edge. */
export const MAX_LEAD_S = 1.0;
/** Where to land when jumping: just behind the newest frame. */
export const JUMP_LEAD_S = 0.15;
/** Below this lead, slow down (a new frame must not be due before it arrives)… */
const MIN_LEAD_S = 0.05;
/** …above this one, speed up (a viewer that joined mid-GOP starts up to a GOP behind)… */
const HIGH_LEAD_S = 0.3;
/** …each until the lead is back here. */
const TARGET_LEAD_S = 0.1;
const SLOW_RATE = 0.9;
const FAST_RATE = 1.1;

export type LiveEdgeAction = { kind: 'jump'; to: number } | { kind: 'rate'; rate: number };

/**
 * `start`/`end`: the buffered range's ends (s); `current`: the playhead; `rate`: the playback rate
 * now (so a correction carries on until the target lead, rather than flapping at a threshold).
 */
export function liveEdgeAction(start: number, end: number, current: number, rate: number): LiveEdgeAction {
  const lead = end - current;
  if (lead > MAX_LEAD_S || current < start) return { kind: 'jump', to: Math.max(start, end - JUMP_LEAD_S) };
  if (lead < MIN_LEAD_S || (rate < 1 && lead < TARGET_LEAD_S)) return { kind: 'rate', rate: SLOW_RATE };
  if (lead > HIGH_LEAD_S || (rate > 1 && lead > TARGET_LEAD_S)) return { kind: 'rate', rate: FAST_RATE };
  return { kind: 'rate', rate: 1 };
}
