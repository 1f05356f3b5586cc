import { describe, expect, it } from 'vitest';
import { liveEdgeAction } from '../../../renderer/src/features/cameras/wall/live-edge';

describe('keeping a tile at the live edge', () => {
  it('plays at normal speed with a lead of a few frames', () => {
    expect(liveEdgeAction(10, 20.12, 20, 1)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('jumps when far behind, or when the playhead is before the buffer', () => {
    expect(liveEdgeAction(10, 21.5, 20, 1)).toEqual({ kind: 'jump', to: 21.35 });
    expect(liveEdgeAction(30, 30.2, 0, 1)).toEqual({ kind: 'jump', to: 30.05 });
  });
  it('slows down when frames are due as they arrive, until the lead is back to the target', () => {
    expect(liveEdgeAction(10, 20.02, 20, 1)).toEqual({ kind: 'rate', rate: 0.9 });
    expect(liveEdgeAction(10, 20.08, 20, 0.9)).toEqual({ kind: 'rate', rate: 0.9 });
    expect(liveEdgeAction(10, 20.11, 20, 0.9)).toEqual({ kind: 'rate', rate: 1 });
  });
  it('speeds up after joining mid-GOP, until the lead is back to the target', () => {
    expect(liveEdgeAction(10, 20.6, 20, 1)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(liveEdgeAction(10, 20.2, 20, 1.1)).toEqual({ kind: 'rate', rate: 1.1 });
    expect(liveEdgeAction(10, 20.09, 20, 1.1)).toEqual({ kind: 'rate', rate: 1 });
  });
});
