import { z } from 'zod';
import { EpochMs, Id, Location } from './incident';
import { ArmSchedule } from './alarms';

export const CAMERA_LIMITS = { name: 80, tag: 32, tags: 20, url: 300, username: 64, password: 128 } as const;

export const MediaProfile = z.object({
  token: z.string(),
  name: z.string(),
  encoding: z.string(),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  fps: z.number().nonnegative(),
});
export type MediaProfile = z.infer<typeof MediaProfile>;

export const DeviceInfo = z.object({
  manufacturer: z.string(),
  model: z.string(),
  firmwareVersion: z.string(),
  serialNumber: z.string(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

/** A registered camera as the renderer sees it: never its password (not even sealed). */
export const Camera = z.object({
  id: Id,
  name: z.string(),
  /** ONVIF device service URL. */
  url: z.string(),
  username: z.string(),
  location: Location.nullable(),
  /** Degrees clockwise from north, for the map's view cone. */
  heading: z.number().nullable(),
  fieldOfView: z.number().nullable(),
  grid: z.string().nullable(),
  tags: z.array(z.string()),
  enabled: z.boolean(),
  /** Its alarms count (within the schedule, if any); disarmed, events are not raised as alarms. */
  armed: z.boolean(),
  armSchedule: ArmSchedule.nullable(),
  /** Its snapshot URI may get Basic auth over plain http:// (the password readable on the wire); off unless allowed. */
  allowBasicOverHttp: z.boolean(),
  device: DeviceInfo,
  /** Video profiles, largest first. */
  profiles: z.array(MediaProfile),
  hasPtz: z.boolean(),
  /** Camera clock minus ours when it was last read. */
  clockOffsetMs: z.number().int(),
  createdAt: EpochMs,
  updatedAt: EpochMs,
});
export type Camera = z.infer<typeof Camera>;

const trimmed = (max: number) => z.string().trim().max(max, { message: `at most ${max} characters` });

export const CameraFields = z
  .object({
    name: trimmed(CAMERA_LIMITS.name).min(1, { message: 'required' }),
    location: Location.nullable(),
    heading: z.number().min(0).max(360).nullable(),
    fieldOfView: z.number().gt(0).max(360).nullable(),
    grid: trimmed(64).nullable(),
    tags: z.array(trimmed(CAMERA_LIMITS.tag).min(1)).max(CAMERA_LIMITS.tags),
    enabled: z.boolean(),
    armed: z.boolean(),
    armSchedule: ArmSchedule.nullable(),
    allowBasicOverHttp: z.boolean(),
  })
  .strict();
export type CameraFields = z.infer<typeof CameraFields>;

export const CameraCredentials = z
  .object({
    url: trimmed(CAMERA_LIMITS.url).min(1, { message: 'required' }),
    username: trimmed(CAMERA_LIMITS.username),
    /** Sent once, sealed in core; never comes back. */
    password: z.string().max(CAMERA_LIMITS.password),
  })
  .strict();

export const DiscoveredDevice = z.object({
  url: z.string(),
  name: z.string(),
  hardware: z.string(),
  /** Already in the registry under this id. */
  cameraId: Id.nullable(),
});
export type DiscoveredDevice = z.infer<typeof DiscoveredDevice>;

export const PtzPreset = z.object({ token: z.string(), name: z.string() });
export type PtzPreset = z.infer<typeof PtzPreset>;

/**
 * A camera's events, apart from its health: `subscribed` (PullPoint up), `unsupported` (no Events
 * service, or the camera refused the subscription: `answer` says what it answered), `failing`
 * (no answer; retrying, `attempt` n), `off` (disarmed: no subscription), `unknown` (not tried yet).
 */
export const EventsState = z.object({
  state: z.enum(['unknown', 'subscribed', 'unsupported', 'failing', 'off']),
  answer: z.string().nullable(),
  attempt: z.number().int(),
});
export type EventsState = z.infer<typeof EventsState>;

/**
 * What the console knows of a camera's health: online when its device answers (GetSystemDateAndTime)
 * or its stream delivers; events are a state of their own (a camera without events can be online).
 */
export const CameraHealth = z.object({
  cameraId: Id,
  /** null until the first answer (or failure) since the console started. */
  online: z.boolean().nullable(),
  since: EpochMs.nullable(),
  lastAlarmAt: EpochMs.nullable(),
  /** The latest video frame the relay received from it; null while nobody has watched it this run. */
  lastFrameAt: EpochMs.nullable(),
  device: z.enum(['unknown', 'reachable', 'unreachable']),
  /** `delivering`: frames in the last 15 s (someone watches it); else not known from video. */
  stream: z.enum(['delivering', 'not_watched']),
  events: EventsState,
});
export type CameraHealth = z.infer<typeof CameraHealth>;

export const WALL_LAYOUTS = [1, 4, 9, 16] as const;
export const WallLayoutSize = z.union([z.literal(1), z.literal(4), z.literal(9), z.literal(16)]);
export type WallLayoutSize = z.infer<typeof WallLayoutSize>;

/** The largest custom grid (rows and columns each). */
export const WALL_MAX_SIDE = 5;
export const WALL_MAX_TILES = WALL_MAX_SIDE * WALL_MAX_SIDE;

/**
 * Named layouts with one large tile: `1+5` (3×3, the first tile 2×2) and `1+7` (4×4, the first 3×3),
 * as on a control room's monitor wall: the camera that matters big, its neighbours around it.
 */
export const FOCUS_LAYOUTS = { '1+5': { side: 3, span: 2 }, '1+7': { side: 4, span: 3 } } as const;
export type FocusLayoutName = keyof typeof FOCUS_LAYOUTS;

/** A wall that is not one of the square 1/4/9/16 grids: rows × columns (up to 5×5), or a named layout. */
export const WallShape = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('grid'),
      rows: z.number().int().min(1).max(WALL_MAX_SIDE),
      cols: z.number().int().min(1).max(WALL_MAX_SIDE),
    })
    .strict(),
  z.object({ kind: z.literal('focus'), name: z.enum(Object.keys(FOCUS_LAYOUTS) as [FocusLayoutName, ...FocusLayoutName[]]) }).strict(),
]);
export type WallShape = z.infer<typeof WallShape>;

/** Where the tiles go: a rows × cols CSS grid whose first tile spans `span` × `span` cells. */
export interface WallGeometry {
  rows: number;
  cols: number;
  /** How many tiles (cameras) the layout shows. */
  tiles: number;
  span: number;
}

export function wallGeometry(layout: { size: number; shape?: WallShape | undefined }): WallGeometry {
  const shape = layout.shape;
  if (shape?.kind === 'grid') return { rows: shape.rows, cols: shape.cols, tiles: shape.rows * shape.cols, span: 1 };
  if (shape?.kind === 'focus') {
    const { side, span } = FOCUS_LAYOUTS[shape.name];
    return { rows: side, cols: side, tiles: side * side - span * span + 1, span };
  }
  const side = Math.max(1, Math.round(Math.sqrt(layout.size)));
  return { rows: side, cols: side, tiles: side * side, span: 1 };
}

/**
 * One window's wall: its grid and which camera sits in which tile (row-major). `size` is the
 * number of tiles: 1, 4, 9 or 16 for the square layouts, or what `shape` makes (checked).
 */
export const WallLayout = z
  .object({
    size: z.number().int().min(1).max(WALL_MAX_TILES),
    tiles: z.array(Id.nullable()).max(WALL_MAX_TILES),
    shape: WallShape.optional(),
  })
  .strict()
  .superRefine((layout, ctx) => {
    if (!layout.shape) {
      if (!(WALL_LAYOUTS as readonly number[]).includes(layout.size)) ctx.addIssue({ code: 'custom', path: ['size'], message: 'must be 1, 4, 9 or 16' });
    } else if (wallGeometry(layout).tiles !== layout.size) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: `must be ${wallGeometry(layout).tiles} for this layout` });
    }
  });
export type WallLayout = z.infer<typeof WallLayout>;

/** The layout a window gets for a shape (or a square size), keeping its tile assignments. */
export function wallLayoutOf(shape: WallShape | WallLayoutSize, tiles: readonly (string | null)[]): WallLayout {
  const layout = typeof shape === 'number' ? { size: shape } : { size: wallGeometry({ size: 0, shape }).tiles, shape };
  return { ...layout, tiles: tiles.slice(0, WALL_MAX_TILES) };
}

/** ONVIF Media2 says `H265`; some cameras `HEVC`; fMP4 names it `hev1`/`hvc1`. */
export function isHevc(encodingOrCodec: string): boolean {
  return /^(h\.?265|hevc)$/i.test(encodingOrCodec.trim()) || /codecs="?(hev1|hvc1)\b/i.test(encodingOrCodec) || /^(hev1|hvc1)\b/i.test(encodingOrCodec);
}

/** A codec as an operator reads it, from an ONVIF encoding or an MSE type: `H.265`, `H.264`, else its tag. */
export function codecLabel(encodingOrMime: string): string {
  if (isHevc(encodingOrMime)) return 'H.265';
  if (/^h\.?264$/i.test(encodingOrMime.trim()) || /avc1/i.test(encodingOrMime)) return 'H.264';
  const tag = /codecs="?([a-z0-9]+)/i.exec(encodingOrMime)?.[1] ?? encodingOrMime.trim();
  return tag.toUpperCase().slice(0, 12) || '?';
}

/** What the relay tells a viewer about its stream. */
export const StreamState = z.discriminatedUnion('state', [
  z.object({ state: z.literal('connecting') }),
  z.object({ state: z.literal('live') }),
  z.object({ state: z.literal('reconnecting'), attempt: z.number().int().positive(), offlineSince: EpochMs, retryInMs: z.number().int() }),
]);
export type StreamState = z.infer<typeof StreamState>;

/**
 * The automatic stream choice: the smallest profile that still covers the tile's device pixels
 * (so a 16-up tile takes the sub-stream and single view the main one); the largest when none does.
 */
export function chooseProfile<P extends Pick<MediaProfile, 'width' | 'height'>>(profiles: readonly P[], tileWidth: number, tileHeight: number): P | undefined {
  const bySize = [...profiles].filter((p) => p.width > 0 && p.height > 0).sort((a, b) => a.width * a.height - b.width * b.height);
  return bySize.find((p) => p.width >= tileWidth && p.height >= tileHeight) ?? bySize[bySize.length - 1];
}

/** Reconnect delays: 1 s, 2 s, 5 s, 10 s, 20 s, 30 s, then every 60 s. */
export const RECONNECT_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 60_000] as const;
export function reconnectDelay(attempt: number): number {
  return RECONNECT_DELAYS_MS[Math.min(Math.max(attempt, 1), RECONNECT_DELAYS_MS.length) - 1]!;
}
