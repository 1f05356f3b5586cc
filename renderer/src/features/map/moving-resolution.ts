import type { Map as MapLibreMap } from 'maplibre-gl';

/** A frame slower than this while the map moves counts as slow (30 fps leaves some room). */
export const SLOW_FRAME_MS = 28;
/** This many slow frames in a row mark the renderer as slow (one long frame is a hiccup, not a renderer). */
const SLOW_STREAK = 3;
/** While a slow renderer moves the map, it draws this fraction of the pixels' width and height. */
export const MOVING_RESOLUTION = 0.5;

/**
 * Where WebGL is slow — software rendering (SwiftShader, llvmpipe) on a duty-room PC without a
 * usable GPU costs time for every pixel — the map draws at a lower resolution while it moves and
 * at full resolution as soon as it stops. Measured, not guessed: the first moves run at full
 * resolution, and only after a few slow frames in a row does the map switch (for the rest of
 * that move and every later one). A GPU that keeps up never switches.
 *
 * The canvas is resized without MapLibre's `resize()`, which would stop a drag in progress and
 * fire move events of its own.
 */
export function lowerResolutionWhileMoving(map: MapLibreMap): () => void {
  let slow = false;
  let reduced = false;
  let last = 0;
  let streak = 0;
  const setResolution = (lower: boolean) => {
    reduced = lower;
    map._overridePixelRatio = lower ? window.devicePixelRatio * MOVING_RESOLUTION : undefined;
    map._resizeInternal(false);
    map.triggerRepaint();
  };
  const onRender = () => {
    if (!map.isMoving()) return;
    const now = performance.now();
    if (last && !slow) {
      streak = now - last > SLOW_FRAME_MS ? streak + 1 : 0;
      if (streak >= SLOW_STREAK) slow = true;
    }
    last = now;
    if (slow && !reduced) setResolution(true);
  };
  // Once known to be slow, a move starts at the lower resolution: its first frame is already cheap.
  const onMoveStart = () => {
    if (slow && !reduced) setResolution(true);
  };
  // Full resolution once the map has stopped; a move that follows straight on (a second drag, the
  // next step of a flight) keeps the lower one rather than paying for a sharp frame in between.
  let restore: ReturnType<typeof setTimeout> | null = null;
  const onMoveEnd = () => {
    last = 0;
    streak = 0;
    if (!reduced || restore) return;
    restore = setTimeout(() => {
      restore = null;
      if (reduced && !map.isMoving()) setResolution(false);
    }, 0);
  };
  map.on('render', onRender);
  map.on('movestart', onMoveStart);
  map.on('moveend', onMoveEnd);
  return () => {
    if (restore) clearTimeout(restore);
    map.off('render', onRender);
    map.off('movestart', onMoveStart);
    map.off('moveend', onMoveEnd);
  };
}
