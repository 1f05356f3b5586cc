/**
 * Keeping a live tile near the live edge: how far the playhead is behind the newest buffered frame
 * (the lead) decides what the player does. Too little lead and a frame that arrives a little late
 * is already due, so Chromium drops it; too much and the picture lags. Small gaps are closed by
 * playing slightly slower or faster (invisible), the up to a GOP that a viewer joining a running
 * stream starts behind by playing up to twice as fast for about a second, and only a lead no
 * catching up would close soon (a hidden tab, a stalled decoder) by a jump.
 *
 * Why not jump on a join: MSE decodes from a keyframe, so a seek into the middle of a GOP has
 * Chromium decode every frame from the keyframe to the seek point and throw them away (counted as
 * dropped), and a seek that comes while the previous one is still being served starts that over —
 * a joining tile stuck for seconds, dropping a GOP's worth of frames per jump.
 */

/** More buffered than this ahead of the playhead: jump to the live edge (more than a GOP and the catch-up). */
export const MAX_LEAD_S = 2.5;
/** Where to land when jumping: just behind the newest frame. */
export const JUMP_LEAD_S = 0.15;
/** Below this lead, slow down (a new frame must not be due before it arrives)… */
const MIN_LEAD_S = 0.05;
/**
 * …above this one, speed up (a viewer that joined mid-GOP starts up to a GOP behind; frames held
 * up for a moment then arriving in a burst)… Between the two the rate stays at 1 (the lead
 * saw-tooths by a frame as frames arrive): a band 0.15 s wide, three to four frames at 25 fps. At
 * 0.3 s a tile that a burst left 0.2 s ahead stayed there for good, 100 ms later than the others.
 */
const HIGH_LEAD_S = 0.2;
/** …each until the lead is back here. */
export const TARGET_LEAD_S = 0.1;
const SLOW_RATE = 0.9;
/**
 * Catch-up rates, by how far behind: each second at rate r closes r − 1 s of lead. A few steps
 * rather than a continuous rate, so the rate changes a handful of times during a catch-up, not at
 * every frame. 2× (50 fps for a 25 fps camera) still fits a 60 Hz display frame by frame.
 */
const FAST_RATES: ReadonlyArray<readonly [lead: number, rate: number]> = [
  [0.6, 2],
  [0.4, 1.5],
  [0.2, 1.25],
  [0.1, 1.25],
  [0, 1.1],
];
export const MAX_RATE = 2;
const STEP_UP_MARGIN_S = 0.1;

export type LiveEdgeAction = { kind: 'jump'; to: number } | { kind: 'rate'; rate: number } | { kind: 'wait' };

/** The catch-up rate for a lead above the target. */
function fastRate(lead: number): number {
  const behind = lead - TARGET_LEAD_S;
  for (const [over, rate] of FAST_RATES) if (behind > over) return rate;
  return FAST_RATES[FAST_RATES.length - 1]![1];
}

/**
 * `start`/`end`: the buffered range's ends (s); `current`: the playhead; `rate`: the playback rate
 * now (so a correction carries on until the target lead, rather than flapping at a threshold);
 * `seeking`: a jump is still being served (decide nothing until it lands).
 */
export function liveEdgeAction(start: number, end: number, current: number, rate: number, seeking = false): LiveEdgeAction {
  if (seeking) return { kind: 'wait' };
  // Before the first frame (or behind what is buffered): start where the buffer starts, which is a
  // keyframe (a fresh stream's first fragment, or the relay's cached GOP for a joining viewer).
  if (current < start) return { kind: 'jump', to: start };
  const lead = end - current;
  if (lead > MAX_LEAD_S) return { kind: 'jump', to: Math.max(start, end - JUMP_LEAD_S) };
  if (lead < MIN_LEAD_S || (rate < 1 && lead < TARGET_LEAD_S)) return { kind: 'rate', rate: SLOW_RATE };
  if (lead > HIGH_LEAD_S || (rate > 1 && lead > TARGET_LEAD_S)) {
    // Hysteresis: while already faster, step down as the lead falls, but step up only once the lead
    // is a clear 0.1 s past the next step (the lead saw-tooths by a frame as frames arrive).
    if (rate <= 1) return { kind: 'rate', rate: fastRate(lead) };
    return { kind: 'rate', rate: Math.max(Math.min(rate, fastRate(lead)), fastRate(lead - STEP_UP_MARGIN_S)) };
  }
  return { kind: 'rate', rate: 1 };
}
