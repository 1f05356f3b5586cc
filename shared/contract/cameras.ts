import { z } from 'zod';
import { command } from './command';
import { ERROR_REASONS, ErrorParams } from './errors';
import { Id, Incident } from '../domain/incident';
import { Alarm } from '../domain/alarms';
import { AttachmentMime, ATTACHMENT_MAX_BYTES } from '../domain/attachments';
import { Camera, CameraCredentials, CameraHealth, CameraFields, DiscoveredDevice, PtzPreset, WallLayout } from '../domain/cameras';

/** Cameras: the registry, discovery, the video endpoint and each window's wall. */
export const cameraCommands = {
  'cameras.list': command(z.object({}).strict(), z.object({ cameras: z.array(Camera) })),
  /** Connects to the camera (ONVIF), reads what it offers and registers it. */
  'cameras.add': command(
    CameraCredentials.extend({ fields: CameraFields.partial().strict().default({}) }).strict(),
    Camera,
  ),
  'cameras.update': command(z.object({ id: Id, fields: CameraFields.partial().strict() }).strict(), Camera),
  'cameras.remove': command(z.object({ id: Id }).strict(), z.object({})),
  /** The health list: online/offline since when, latest alarm; one entry per registered camera. */
  'cameras.health': command(z.object({}).strict(), z.object({ health: z.array(CameraHealth) })),
  /** WS-Discovery: multicast on every interface and/or a directed probe to host:port. */
  'cameras.discover': command(
    z
      .object({
        multicast: z.boolean().default(true),
        directed: z
          .object({ host: z.string().trim().min(1).max(255), port: z.number().int().min(1).max(65535) })
          .strict()
          .nullable()
          .default(null),
        timeoutMs: z.number().int().min(200).max(10_000).default(2_000),
      })
      .strict(),
    z.object({ devices: z.array(DiscoveredDevice) }),
  ),
  /** Where this window fetches live video: a loopback WebSocket URL carrying a per-run token. */
  'video.endpoint': command(z.object({}).strict(), z.object({ url: z.string() })),
  /** PTZ: velocities −1…1 (pan right, tilt up, zoom in positive); a move runs until `ptz.stop`. */
  'ptz.move': command(
    z
      .object({
        cameraId: Id,
        pan: z.number().min(-1).max(1),
        tilt: z.number().min(-1).max(1),
        zoom: z.number().min(-1).max(1),
      })
      .strict(),
    z.object({}),
  ),
  'ptz.stop': command(z.object({ cameraId: Id }).strict(), z.object({})),
  'ptz.presets': command(z.object({ cameraId: Id }).strict(), z.object({ presets: z.array(PtzPreset) })),
  'ptz.gotoPreset': command(z.object({ cameraId: Id, preset: z.string().min(1).max(64) }).strict(), z.object({})),
  'ptz.setPreset': command(
    z.object({ cameraId: Id, name: z.string().trim().min(1, { message: 'required' }).max(64, { message: 'at most 64 characters' }) }).strict(),
    PtzPreset,
  ),
  'ptz.home': command(z.object({ cameraId: Id }).strict(), z.object({})),
  /** The alarm inbox: unhandled bursts, newest first (plus recently handled ones on request). */
  'alarms.list': command(
    z.object({ includeHandled: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(200) }).strict(),
    z.object({ alarms: z.array(Alarm) }),
  ),
  'alarms.acknowledge': command(z.object({ id: Id }).strict(), Alarm),
  'alarms.dismiss': command(
    z.object({ id: Id, reason: z.string().trim().min(1, { message: 'required' }).max(200, { message: 'at most 200 characters' }) }).strict(),
    Alarm,
  ),
  /** One click: an incident pre-filled with camera, category, location, grid and time; the alarm links to it. */
  'alarms.toIncident': command(z.object({ id: Id, category: z.string().min(1).max(64).optional() }).strict(), z.object({ alarm: Alarm, incident: Incident })),
  /**
   * The camera's own picture, not yet attached anywhere: its ONVIF snapshot URI where it has one
   * (`source: 'camera'`, full resolution), else one frame of its main stream (`source: 'stream'`).
   */
  'cameras.snapshot': command(
    z.object({ cameraId: Id }).strict(),
    z.object({
      mime: AttachmentMime,
      dataBase64: z.string(),
      source: z.enum(['camera', 'stream']),
      /** Why the camera's snapshot URI was not asked (its credentials stay with its own host): the picture is a stream frame. */
      refused: z.object({ reason: z.enum(ERROR_REASONS), params: ErrorParams }).optional(),
    }),
  ),
  /**
   * A picture (what the tile shows, or the camera's own from `cameras.snapshot`; JPEG/PNG as
   * base64) attached to an incident: a new one made from the camera (category, location, grid), or
   * an existing one (`incidentId`). Kept as an attachment (attachments.get).
   */
  'cameras.snapshotToIncident': command(
    z
      .object({
        cameraId: Id,
        image: z
          .string()
          .min(1, { message: 'required' })
          .max(Math.ceil((ATTACHMENT_MAX_BYTES * 4) / 3) + 4, { message: 'picture too large' }),
        incidentId: Id.optional(),
      })
      .strict(),
    Incident,
  ),
  'wall.get': command(z.object({ window: z.string().min(1).max(64) }).strict(), WallLayout),
  'wall.save': command(z.object({ window: z.string().min(1).max(64), layout: WallLayout }).strict(), WallLayout),
} as const;

export const cameraEvents = {
  /** The registry changed: windows reload their camera list. */
  'cameras.changed': z.object({ reason: z.enum(['added', 'updated', 'removed', 'demo']) }),
  /** A camera went online or offline, or raised an alarm: health lists reload. */
  'cameras.health': z.object({ cameraId: Id }),
  /** A new burst, a burst that grew, or one handled: inboxes reload; `sound` when it is news. */
  'alarms.changed': z.object({ alarmId: Id, sound: z.boolean() }),
} as const;
