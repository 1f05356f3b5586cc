import { describe, expect, it } from 'vitest';
import { JUMP_LEAD_S, MAX_LEAD_S, MAX_RATE, liveEdgeAction, type LiveEdgeAction } from '../../../renderer/src/features/cameras/wall/live-edge';

describe('keeping a tile at the live edge', () => {
  it('plays at normal speed with a lead of a few frames', () => {
    expect(liveEdgeAction(10, 20.12, 20, 1)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('starts at the start of the buffer (a keyframe), never in the middle of a GOP', () => {
    expect(liveEdgeAction(30, 30.04, 0, 1)).toEqual({ kind: 'jump', to: 30 });
    // Even when several fragments landed before the first decision (a joining viewer's cached GOP).
    expect(liveEdgeAction(30, 30.8, 0, 1)).toEqual({ kind: 'jump', to: 30 });
  });
  it('jumps only when further behind than any catch-up would close soon', () => {
    expect(liveEdgeAction(10, 21.5, 20, 1)).toEqual({ kind: 'rate', rate: MAX_RATE });
    expect(liveEdgeAction(10, 20 + MAX_LEAD_S + 0.5, 20, 1)).toEqual({ kind: 'jump', to: 20 + MAX_LEAD_S + 0.5 - JUMP_LEAD_S });
  });
  it('decides nothing while a jump is still being served', () => {
    expect(liveEdgeAction(10, 25, 20, 1, true)).toEqual({ kind: 'wait' });
  });
  it('slows down when frames are due as they arrive, until the lead is back to the target', () => {
    expect(liveEdgeAction(10, 20.02, 20, 1)).toEqual({ kind: 'rate', rate: 0.9 });
    expect(liveEdgeAction(10, 20.08, 20, 0.9)).toEqual({ kind: 'rate', rate: 0.9 });
    expect(liveEdgeAction(10, 20.11, 20, 0.9)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('speeds up by how far behind, steps down as it catches up, until the lead is back to the target', () => {
    expect(liveEdgeAction(10, 20.9, 20, 1)).toEqual({ kind: 'rate', rate: 2 });
    expect(liveEdgeAction(10, 20.35, 20, 1)).toEqual({ kind: 'rate', rate: 1.25 });
    expect(liveEdgeAction(10, 20.6, 20, 2)).toEqual({ kind: 'rate', rate: 1.5 });
    expect(liveEdgeAction(10, 20.2, 20, 1.1)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(liveEdgeAction(10, 20.09, 20, 1.1)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('does not stay a few frames behind at normal speed (a burst after a short hold-up), nor act on a frame of jitter', () => {
    expect(liveEdgeAction(10, 20.22, 20, 1)).toEqual({ kind: 'rate', rate: 1.25 });
    expect(liveEdgeAction(10, 20.15, 20, 1.25)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(liveEdgeAction(10, 20.09, 20, 1.1)).toEqual({ kind: 'rate', rate: 1 });
    // Inside the band, a frame either side of the target: normal speed.
    expect(liveEdgeAction(10, 20.18, 20, 1)).toEqual({ kind: 'rate', rate: 1 });
    expect(liveEdgeAction(10, 20.06, 20, 1)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('does not flap between steps as the lead saw-tooths by a frame', () => {
    // At 1.5× with the lead just over the 2× step: stays at 1.5× until clearly past it.
    expect(liveEdgeAction(10, 20.72, 20, 1.5)).toEqual({ kind: 'rate', rate: 1.5 });
    expect(liveEdgeAction(10, 20.82, 20, 1.5)).toEqual({ kind: 'rate', rate: 2 });
  });

  /**
   * A viewer joining a running stream: the relay sends the cached GOP (keyframe + 24 frames,
   * 40 ms each) in one burst, then a live frame every 40 ms. The player appends one fragment at a
   * time and decides after each append, as mse-player.ts does.
   */
  it('a viewer joining a running stream starts at the cached keyframe and reaches the live edge by playing faster, without a jump', () => {
    const FRAME = 0.04;
    const base = 37.2; // the cached keyframe's timestamp: the stream has run for a while
    let end = base;
    let current = 0;
    let rate = 1;
    let playing = false;
    const actions: LiveEdgeAction[] = [];
    const decide = () => {
      const action = liveEdgeAction(base, end, current, rate);
      actions.push(action);
      if (action.kind === 'jump') current = action.to;
      else if (action.kind === 'rate') rate = action.rate;
      playing = true;
    };
    for (let i = 0; i < 25; i++) {
      end = base + (i + 1) * FRAME; // the burst: appended back to back, the playhead has not moved
      decide();
    }
    const leads: Array<[number, number]> = [];
    for (let t = 0; t < 6; t += FRAME) {
      if (playing) current = Math.min(end, current + FRAME * rate);
      end += FRAME;
      decide();
      leads.push([t, end - current]);
    }
    const jumps = actions.filter((a) => a.kind === 'jump');
    expect(jumps).toEqual([{ kind: 'jump', to: base }]);
    expect(Math.max(...actions.map((a) => (a.kind === 'rate' ? a.rate : 1)))).toBeLessThanOrEqual(MAX_RATE);
    const leadAt = (seconds: number) => leads.find(([t]) => t >= seconds)![1];
    expect(leadAt(0)).toBeGreaterThan(0.9); // a whole GOP behind at first
    expect(leadAt(1.5)).toBeLessThan(0.35); // most of it caught up within ~1 s
    expect(leadAt(5)).toBeLessThan(0.15); // and at the target lead after a few seconds
    expect(leadAt(5)).toBeGreaterThan(0.05);
  });
});
