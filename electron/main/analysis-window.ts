/**
 * Where the analysis workspace's window opens: pure rules (no electron import), unit-tested in
 * analysis-window.test.ts; windows.ts applies them.
 *
 * - The display it was on last time, at the same bounds, when that display is still attached and
 *   the bounds still fit on it (a monitor unplugged or re-arranged since falls through).
 * - Else a display other than the operator's (the second monitor of the analysis room).
 * - Else the operator's display.
 */
import { isAppUrl, type AppOrigin } from './origin';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayInfo {
  id: number;
  workArea: Rect;
}

/** What the shell remembers between runs (userData/analysis-window.json). */
export interface RememberedPlacement {
  displayId: number;
  bounds: Rect;
}

export interface Placement {
  displayId: number;
  bounds: Rect;
  /** Opened on a display of its own: shown maximised, as a dashboard should. */
  maximize: boolean;
}

const fits = (inner: Rect, outer: Rect) =>
  inner.width > 0 &&
  inner.height > 0 &&
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

export function chooseAnalysisPlacement(
  displays: readonly DisplayInfo[],
  operatorDisplayId: number,
  remembered: RememberedPlacement | null,
): Placement {
  if (!displays.length) throw new Error('no display');
  const previous = remembered ? displays.find((d) => d.id === remembered.displayId) : undefined;
  if (previous && remembered && fits(remembered.bounds, previous.workArea)) {
    return { displayId: previous.id, bounds: remembered.bounds, maximize: false };
  }
  const other = displays.find((d) => d.id !== operatorDisplayId);
  const target = previous ?? other ?? displays.find((d) => d.id === operatorDisplayId) ?? displays[0]!;
  if (target.id !== operatorDisplayId) return { displayId: target.id, bounds: { ...target.workArea }, maximize: true };
  // One monitor: a window over most of it, beside the operator's.
  const area = target.workArea;
  const width = Math.min(1600, area.width);
  const height = Math.min(960, area.height);
  return {
    displayId: target.id,
    bounds: { x: area.x + Math.round((area.width - width) / 2) + 48, y: area.y + Math.round((area.height - height) / 2) + 48, width, height },
    maximize: false,
  };
}

/** Parses the remembered placement; anything malformed is forgotten (null), never trusted. */
export function parseRemembered(text: string | null): RememberedPlacement | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as { displayId?: unknown; bounds?: Record<string, unknown> };
    const b = value.bounds;
    const ok = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
    if (!ok(value.displayId) || !b || !ok(b.x) || !ok(b.y) || !ok(b.width) || !ok(b.height)) return null;
    return { displayId: value.displayId as number, bounds: { x: b.x as number, y: b.y as number, width: b.width as number, height: b.height as number } };
  } catch {
    return null;
  }
}

/** A window.open() of the app's own page with `?view=analysis` (the header's 研判工作台 button). */
export function isAnalysisRequest(url: string, origin: AppOrigin): boolean {
  if (!isAppUrl(url, origin)) return false;
  try {
    return new URL(url).searchParams.get('view') === 'analysis';
  } catch {
    return false;
  }
}
