import { randomUUID } from 'node:crypto';
import type { ArmSchedule, Camera, CameraFields, DeviceInfo } from '@shared';
import type { Db } from '../store';
import type { MediaProfileInfo } from './driver';
import type { SecretBox } from './secret-box';

/** What the registry keeps about a camera; the password only as the SecretBox sealed it. */
export interface CameraRecord {
  camera: Camera;
  /** Profiles with their stream and snapshot URIs: core-only, they never go to the renderer. */
  profiles: MediaProfileInfo[];
  demo: boolean;
}

interface Row {
  id: string;
  name: string;
  onvif_url: string;
  username: string;
  password_sealed: string;
  lon: number | null;
  lat: number | null;
  heading: number | null;
  field_of_view: number | null;
  grid: string | null;
  tags: string;
  enabled: number;
  armed: number;
  arm_schedule: string | null;
  allow_basic_over_http: number;
  device: string;
  profiles: string;
  has_ptz: number;
  clock_offset_ms: number;
  demo: number;
  created_at: number;
  updated_at: number;
}

export interface NewCamera {
  url: string;
  username: string;
  password: string;
  device: DeviceInfo;
  profiles: MediaProfileInfo[];
  hasPtz: boolean;
  clockOffsetMs: number;
  fields: CameraFields;
  demo?: boolean;
}

const largestFirst = (profiles: MediaProfileInfo[]) => [...profiles].sort((a, b) => b.width * b.height - a.width * a.height);

function toRecord(row: Row): CameraRecord {
  const profiles = JSON.parse(row.profiles) as MediaProfileInfo[];
  return {
    demo: row.demo === 1,
    profiles,
    camera: {
      id: row.id,
      name: row.name,
      url: row.onvif_url,
      username: row.username,
      location: row.lon === null || row.lat === null ? null : { lon: row.lon, lat: row.lat },
      heading: row.heading,
      fieldOfView: row.field_of_view,
      grid: row.grid,
      tags: JSON.parse(row.tags) as string[],
      enabled: row.enabled === 1,
      armed: row.armed === 1,
      armSchedule: row.arm_schedule ? (JSON.parse(row.arm_schedule) as ArmSchedule) : null,
      allowBasicOverHttp: row.allow_basic_over_http === 1,
      device: JSON.parse(row.device) as DeviceInfo,
      profiles: profiles.map(({ token, name, encoding, width, height, fps }) => ({ token, name, encoding, width, height, fps })),
      hasPtz: row.has_ptz === 1,
      clockOffsetMs: row.clock_offset_ms,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
  };
}

export class CameraStore {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly now: () => number,
  ) {}

  list(): CameraRecord[] {
    return this.db.prepare<[], Row>('SELECT * FROM cameras ORDER BY name, id').all().map(toRecord);
  }

  get(id: string): CameraRecord | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM cameras WHERE id = ?').get(id);
    return row ? toRecord(row) : null;
  }

  findByUrl(url: string): CameraRecord | null {
    const row = this.db.prepare<[string], Row>('SELECT * FROM cameras WHERE onvif_url = ?').get(url);
    return row ? toRecord(row) : null;
  }

  /** The password for a connection; never leaves core. */
  password(id: string): string {
    const row = this.db.prepare<[string], { password_sealed: string }>('SELECT password_sealed FROM cameras WHERE id = ?').get(id);
    if (!row) throw new Error('camera not found');
    return this.secrets.open(row.password_sealed);
  }

  insert(input: NewCamera): CameraRecord {
    const id = randomUUID();
    const now = this.now();
    const f = input.fields;
    this.db
      .prepare(
        `INSERT INTO cameras (id, name, onvif_url, username, password_sealed, lon, lat, heading, field_of_view, grid, tags, enabled,
           armed, arm_schedule, allow_basic_over_http, device, profiles, has_ptz, clock_offset_ms, demo, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        f.name,
        input.url,
        input.username,
        this.secrets.seal(input.password),
        f.location?.lon ?? null,
        f.location?.lat ?? null,
        f.heading,
        f.fieldOfView,
        f.grid,
        JSON.stringify(f.tags),
        f.enabled ? 1 : 0,
        f.armed ? 1 : 0,
        f.armSchedule ? JSON.stringify(f.armSchedule) : null,
        f.allowBasicOverHttp ? 1 : 0,
        JSON.stringify(input.device),
        JSON.stringify(largestFirst(input.profiles)),
        input.hasPtz ? 1 : 0,
        input.clockOffsetMs,
        input.demo ? 1 : 0,
        now,
        now,
      );
    return this.get(id)!;
  }

  update(id: string, fields: Partial<CameraFields>): CameraRecord | null {
    const current = this.get(id);
    if (!current) return null;
    const c = current.camera;
    const next: CameraFields = {
      name: fields.name ?? c.name,
      location: fields.location !== undefined ? fields.location : c.location,
      heading: fields.heading !== undefined ? fields.heading : c.heading,
      fieldOfView: fields.fieldOfView !== undefined ? fields.fieldOfView : c.fieldOfView,
      grid: fields.grid !== undefined ? fields.grid : c.grid,
      tags: fields.tags ?? c.tags,
      enabled: fields.enabled ?? c.enabled,
      armed: fields.armed ?? c.armed,
      armSchedule: fields.armSchedule !== undefined ? fields.armSchedule : c.armSchedule,
      allowBasicOverHttp: fields.allowBasicOverHttp ?? c.allowBasicOverHttp,
    };
    this.db
      .prepare(
        `UPDATE cameras SET name = ?, lon = ?, lat = ?, heading = ?, field_of_view = ?, grid = ?, tags = ?, enabled = ?, armed = ?, arm_schedule = ?,
           allow_basic_over_http = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        next.name,
        next.location?.lon ?? null,
        next.location?.lat ?? null,
        next.heading,
        next.fieldOfView,
        next.grid,
        JSON.stringify(next.tags),
        next.enabled ? 1 : 0,
        next.armed ? 1 : 0,
        next.armSchedule ? JSON.stringify(next.armSchedule) : null,
        next.allowBasicOverHttp ? 1 : 0,
        this.now(),
        id,
      );
    return this.get(id);
  }

  /** Demo cameras' simulators get a new port each run. */
  moveDemo(id: string, url: string): void {
    this.db.prepare('UPDATE cameras SET onvif_url = ? WHERE id = ? AND demo = 1').run(url, id);
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM cameras WHERE id = ?').run(id).changes > 0;
  }
}
