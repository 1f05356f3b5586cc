/**
 * Camera pictures: the camera's own (its ONVIF snapshot URI, else a frame of its main stream) and
 * a tile's, kept as attachments of an incident (file by SHA-256, hash on the timeline).
 */
import type { ChildProcess } from 'node:child_process';
import { ATTACHMENT_MAX_BYTES, sniffImage, type AttachmentMime, type Camera, type ErrorParams, type ErrorReason, type Incident } from '@shared';
import type { CoreContext } from '../context';
import type { Change } from '../incidents';
import { cameraErrors } from './errors';
import { callError } from './ptz-service';
import type { CameraRegistry } from './registry';
import { grabFrame } from './relay/frame-grab';
import { redact } from './relay/relay';
import { fetchSnapshot, SnapshotRefused } from './snapshot-fetch';

/** `2026-06-01 10:00:05` in China Standard Time (UTC+8, no daylight saving), whatever the host's zone. */
export const chinaTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

/** The category a camera's incidents get unless the operator says otherwise. */
export const categoryFor = (camera: { tags: string[] }) => (camera.tags.includes('双防') ? 'illegal_landing' : 'public_security');

export interface CameraPicture {
  data: Buffer;
  mime: AttachmentMime;
  source: 'camera' | 'stream';
  /** Why the camera's own snapshot URI was not asked (its credentials stay home): the picture is a frame of the stream. */
  refused?: { reason: ErrorReason; params: ErrorParams };
}

export class SnapshotService {
  /** Frame grabs in flight (alarm snapshots): ended on close like the relay's. */
  private readonly grabs = new Set<ChildProcess>();
  private closed = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly registry: CameraRegistry,
    private readonly ffmpegPath: string,
  ) {}

  /** A camera picture on the incident, through the one attachment store. */
  attachPicture(incidentId: string, picture: Buffer, cameraName: string, actor: string): Change {
    const mime = sniffImage(picture);
    if (!mime) throw cameraErrors.badImage();
    if (picture.length > ATTACHMENT_MAX_BYTES) throw cameraErrors.imageTooLarge(ATTACHMENT_MAX_BYTES);
    return this.ctx.attachments.add(incidentId, `${cameraName} ${chinaTime(this.ctx.now())}`, mime, picture, actor, this.ctx.now()).change;
  }

  /**
   * The camera's own picture: its ONVIF snapshot URI (full resolution, decoded by nobody) where it
   * has one, it points at the camera's own host and answers with a picture; else one frame of the main stream.
   */
  async take(cameraId: string): Promise<CameraPicture> {
    const record = this.registry.require(cameraId);
    const profile = record.profiles[0];
    if (!profile) throw new Error(`camera ${record.camera.name} has no video profile`);
    let refused: CameraPicture['refused'];
    if (profile.snapshotUri && !record.demo) {
      try {
        // A picture over the attachment limit is not usable: a frame of the stream is.
        const data = await fetchSnapshot(profile.snapshotUri, {
          username: record.camera.username,
          password: this.registry.store.password(cameraId),
          maxBytes: ATTACHMENT_MAX_BYTES,
          cameraHost: new URL(record.camera.url).hostname,
          allowBasicOverHttp: record.camera.allowBasicOverHttp,
        });
        const mime = sniffImage(data);
        if (mime) return { data, mime, source: 'camera' };
      } catch (error) {
        if (error instanceof SnapshotRefused) refused = { reason: error.reason, params: error.params };
        if (!this.closed) this.ctx.log.warn('snapshot URI not used, grabbing a frame', { domain: 'video', camera: record.camera.name, err: redact(error instanceof Error ? error.message : String(error)) });
      }
    }
    const jpeg = await grabFrame(this.ffmpegPath, this.registry.source(cameraId, profile.token), this.grabs);
    return refused ? { data: jpeg, mime: 'image/jpeg', source: 'stream', refused } : { data: jpeg, mime: 'image/jpeg', source: 'stream' };
  }

  async snapshot(cameraId: string): Promise<CameraPicture> {
    this.registry.require(cameraId);
    try {
      return await this.take(cameraId);
    } catch (error) {
      throw callError(error);
    }
  }

  /**
   * The alarm's picture (the camera's snapshot, or a frame of its main stream), attached once it
   * is in (a second or so), so the one click that makes the incident does not wait for the camera.
   */
  attachCameraFrame(cameraId: string, incidentId: string, actor: string): void {
    const record = this.registry.store.get(cameraId);
    if (!record || !record.profiles[0]) return;
    Promise.resolve()
      .then(() => this.take(cameraId))
      .then((picture) => {
        if (this.closed) return;
        this.ctx.publish(this.attachPicture(incidentId, picture.data, record.camera.name, actor));
      })
      .catch((error: unknown) => {
        if (!this.closed) this.ctx.log.warn('no picture for the alarm', { domain: 'video', camera: record.camera.name, err: redact(error instanceof Error ? error.message : String(error)) });
      });
  }

  /** A tile's picture onto a new incident made from the camera, or onto an existing one. */
  toIncident(camera: Camera, image: string, incidentId: string | undefined, actor: string, inTransaction: <T>(work: () => T) => T): Incident {
    const data = Buffer.from(image, 'base64');
    // Refused before anything is written: a bad picture or an unknown incident makes no incident either.
    if (!sniffImage(data)) throw cameraErrors.badImage();
    if (data.length > ATTACHMENT_MAX_BYTES) throw cameraErrors.imageTooLarge(ATTACHMENT_MAX_BYTES);
    if (incidentId) this.ctx.incidents.get(incidentId);
    const { created, attached } = inTransaction(() => {
      const made = incidentId
        ? null
        : this.ctx.incidents.create(
            {
              category: categoryFor(camera),
              title: `${camera.name} 视频截图`,
              description: `值班员从视频墙截取 ${camera.name} 的画面（${chinaTime(this.ctx.now())}，北京时间）。`,
              location: camera.location,
              gridId: camera.grid,
              source: 'camera_alarm',
              priority: 3,
              reporter: camera.name,
              occurredAt: this.ctx.now(),
            },
            actor,
          );
      return { created: made, attached: this.attachPicture(incidentId ?? made!.incident.id, data, camera.name, actor) };
    });
    // Both changes reach the windows: the lists learn of the new incident, the detail of the picture.
    if (created) this.ctx.publish(created);
    return this.ctx.publish(attached);
  }

  close(): void {
    this.closed = true;
    for (const child of this.grabs) child.kill('SIGKILL');
  }
}
