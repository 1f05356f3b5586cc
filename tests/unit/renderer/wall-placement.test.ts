import { describe, expect, it } from 'vitest';
import { tileForOpenedCamera } from '../../../renderer/src/features/cameras/wall/placement';

describe('a camera opened from the map goes onto the wall', () => {
  it('selects the tile already showing it', () => {
    expect(tileForOpenedCamera(['a', 'x', null, null], 3, 'x')).toEqual({ index: 1, replace: false });
  });
  it('takes the selected tile, else the first empty one', () => {
    expect(tileForOpenedCamera(['a', null, 'b', null], 2, 'x')).toEqual({ index: 2, replace: true });
    expect(tileForOpenedCamera(['a', null, 'b', null], null, 'x')).toEqual({ index: 1, replace: true });
  });
  it('takes the first tile of a full wall', () => {
    expect(tileForOpenedCamera(['a', 'b', 'c', 'd'], null, 'x')).toEqual({ index: 0, replace: true });
    expect(tileForOpenedCamera(['a', 'b'], 7, 'x')).toEqual({ index: 0, replace: true });
  });
});
