import type { Position } from '@shared';

/** A ring of `n` positions: a zigzag of teeth along the latitude, back along a straight line below. */
export function zigzagRing(n: number, crossing: boolean): Position[] {
  const teeth = n - 3;
  const ring: Position[] = [];
  for (let i = 0; i < teeth; i++) ring.push([113.8 + i * 1e-5, 22.12 + (i % 2) * 1e-3]);
  const end = 113.8 + (teeth - 1) * 1e-5;
  // The way back: below the teeth (a simple ring), or cutting up through them near the end.
  ring.push(crossing ? [end - 0.001, 22.12 + 2e-3] : [end, 22.119]);
  ring.push([113.8, 22.119]);
  ring.push(ring[0]!);
  return ring;
}
