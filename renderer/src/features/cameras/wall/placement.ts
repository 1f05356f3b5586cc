/**
 * Which tile a camera opened from elsewhere (a click on the map) goes to:
 * - a tile already showing it (nothing on the wall changes, that tile is selected);
 * - else the selected tile, or the first empty one, as a click in the camera list does;
 * - else, on a full wall, the first tile (the large one in 1+5 / 1+7): the operator asked to see
 *   this camera now, and the camera it replaces is one click away in the list.
 * `tiles` is the current layout's tiles (null = empty), `selected` the selected tile if any.
 */
export function tileForOpenedCamera(tiles: readonly (string | null)[], selected: number | null, cameraId: string): { index: number; replace: boolean } {
  const showing = tiles.indexOf(cameraId);
  if (showing >= 0) return { index: showing, replace: false };
  if (selected !== null && selected >= 0 && selected < tiles.length) return { index: selected, replace: true };
  const empty = tiles.indexOf(null);
  return { index: empty >= 0 ? empty : 0, replace: true };
}
