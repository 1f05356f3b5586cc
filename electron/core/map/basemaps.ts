import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { PMTiles, TileType, type Source } from 'pmtiles';
import { BUILTIN_BASEMAP, ContractError, type BasemapInfo, type ErrorParams, type ErrorReason } from '@shared';
import type { Db } from '../store';
import type { SettingsStore } from '../store';

const ACTIVE_KEY = 'map.basemap';
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0');
const PMTILES_MAGIC = Buffer.from('PMTiles');
type Format = BasemapInfo['format'];

interface BasemapRow {
  id: string;
  name: string;
  kind: 'mbtiles' | 'pmtiles';
  file: string;
  format: Format;
  min_zoom: number;
  max_zoom: number;
  bounds: string | null;
  vector_layers: string;
  attribution: string;
}

const toInfo = (row: BasemapRow): BasemapInfo => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  format: row.format,
  minZoom: row.min_zoom,
  maxZoom: row.max_zoom,
  bounds: row.bounds ? (JSON.parse(row.bounds) as [number, number, number, number]) : null,
  vectorLayers: JSON.parse(row.vector_layers) as string[],
  attribution: row.attribution,
});

interface Described {
  format: Format;
  minZoom: number;
  maxZoom: number;
  bounds: [number, number, number, number] | null;
  vectorLayers: string[];
  attribution: string;
  name: string;
}

/** A tile reader over one file. */
interface Reader {
  tile(z: number, x: number, y: number): Promise<Buffer | null>;
  close(): void;
}

const refuse = (reason: ErrorReason, message: string, params: ErrorParams = {}) => ContractError.field('path', reason, message, params);

function normaliseFormat(value: string | undefined): Format | null {
  const v = (value ?? '').toLowerCase();
  if (v === 'pbf' || v === 'mvt') return 'pbf';
  if (v === 'png' || v === 'webp') return v;
  if (v === 'jpg' || v === 'jpeg') return 'jpg';
  return null;
}

function parseBounds(value: unknown): [number, number, number, number] | null {
  const parts = Array.isArray(value) ? value.map(Number) : typeof value === 'string' ? value.split(',').map(Number) : [];
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) return null;
  const [w, s, e, n] = parts as [number, number, number, number];
  return w >= -180 && e <= 180 && s >= -90 && n <= 90 && w < e && s < n ? [w, s, e, n] : null;
}

function layerNames(json: unknown): string[] {
  const layers = (json as { vector_layers?: { id?: unknown }[] } | null)?.vector_layers;
  return Array.isArray(layers) ? layers.map((l) => l?.id).filter((id): id is string => typeof id === 'string').slice(0, 200) : [];
}

/** Vector tiles are stored gzipped in most MBTiles; MapLibre wants them plain. */
const gunzipIfNeeded = (data: Buffer) => (data[0] === 0x1f && data[1] === 0x8b ? zlib.gunzipSync(data) : data);

function openMbtiles(file: string, nativeBinding?: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
}

function describeMbtiles(file: string, nativeBinding?: string): Described {
  let db: Database.Database;
  try {
    db = openMbtiles(file, nativeBinding);
  } catch (error) {
    throw refuse('map.basemap_unreadable', `the MBTiles file cannot be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    const objects = new Set(db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").all().map((r) => r.name));
    if (!objects.has('tiles') || !objects.has('metadata')) throw refuse('map.basemap_not_mbtiles', 'not an MBTiles file: it has no "tiles" and "metadata" tables');
    const meta = new Map(db.prepare<[], { name: string; value: string }>('SELECT name, value FROM metadata').all().map((r) => [r.name, r.value]));
    const format = normaliseFormat(meta.get('format'));
    if (!format) throw refuse('map.basemap_format', `unsupported tile format "${meta.get('format') ?? '(none)'}"; expected pbf, png, jpg or webp`, { format: meta.get('format') ?? '' });
    const zooms = db.prepare<[], { lo: number | null; hi: number | null }>('SELECT min(zoom_level) AS lo, max(zoom_level) AS hi FROM tiles').get()!;
    if (zooms.lo === null || zooms.hi === null) throw refuse('map.basemap_empty', 'the MBTiles file holds no tiles');
    let json: unknown = null;
    try {
      json = meta.has('json') ? JSON.parse(meta.get('json')!) : null;
    } catch {
      json = null;
    }
    const vectorLayers = layerNames(json);
    if (format === 'pbf' && !vectorLayers.length) throw refuse('map.basemap_layers', 'a vector MBTiles file must list its layers (metadata "json" with "vector_layers")');
    return {
      format,
      minZoom: Number(meta.get('minzoom') ?? zooms.lo),
      maxZoom: Number(meta.get('maxzoom') ?? zooms.hi),
      bounds: parseBounds(meta.get('bounds')),
      vectorLayers,
      attribution: (meta.get('attribution') ?? '').replace(/<[^>]*>/g, '').slice(0, 300),
      name: (meta.get('name') ?? '').slice(0, 100),
    };
  } finally {
    db.close();
  }
}

class FileRangeSource implements Source {
  constructor(
    private readonly fd: number,
    private readonly key: string,
  ) {}
  getKey(): string {
    return this.key;
  }
  async getBytes(offset: number, length: number): Promise<{ data: ArrayBuffer }> {
    const buffer = Buffer.alloc(length);
    const read = fs.readSync(this.fd, buffer, 0, length, offset);
    return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + read) as ArrayBuffer };
  }
}

const PMTILES_FORMATS: Partial<Record<number, Format>> = { [TileType.Mvt]: 'pbf', [TileType.Png]: 'png', [TileType.Jpeg]: 'jpg', [TileType.Webp]: 'webp' };

async function withPmtiles<T>(file: string, fn: (archive: PMTiles) => Promise<T>): Promise<T> {
  const fd = fs.openSync(file, 'r');
  try {
    return await fn(new PMTiles(new FileRangeSource(fd, file)));
  } finally {
    fs.closeSync(fd);
  }
}

async function describePmtiles(file: string): Promise<Described> {
  try {
    return await withPmtiles(file, async (archive) => {
      const header = await archive.getHeader();
      const format = PMTILES_FORMATS[header.tileType];
      if (!format) throw refuse('map.basemap_format', `unsupported PMTiles tile type ${header.tileType}; expected vector (MVT), PNG, JPEG or WebP`, { format: String(header.tileType) });
      const metadata = (await archive.getMetadata()) as { name?: unknown; attribution?: unknown } | null;
      const vectorLayers = layerNames(metadata);
      if (format === 'pbf' && !vectorLayers.length) throw refuse('map.basemap_layers', 'a vector PMTiles file must list its layers (metadata "vector_layers")');
      return {
        format,
        minZoom: header.minZoom,
        maxZoom: header.maxZoom,
        bounds: parseBounds([header.minLon, header.minLat, header.maxLon, header.maxLat]),
        vectorLayers,
        attribution: typeof metadata?.attribution === 'string' ? metadata.attribution.replace(/<[^>]*>/g, '').slice(0, 300) : '',
        name: typeof metadata?.name === 'string' ? metadata.name.slice(0, 100) : '',
      };
    });
  } catch (error) {
    if (error instanceof ContractError) throw error;
    throw refuse('map.basemap_unreadable', `the PMTiles file cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Basemap files from the town's GIS office. A file is checked, then copied into the data directory
 * (a USB stick goes away); tiles are read in core and travel over the contract, so the page loads
 * nothing from outside its own origin and the same works over IPC and WebSocket.
 */
export class BasemapStore {
  private readonly readers = new Map<string, Reader>();
  private readonly dir: string;

  constructor(
    private readonly db: Db,
    private readonly settings: SettingsStore,
    dataDir: string,
    private readonly nativeBinding?: string,
  ) {
    this.dir = path.join(dataDir, 'basemaps');
  }

  list(): { active: string; basemaps: BasemapInfo[] } {
    const basemaps = this.db.prepare<[], BasemapRow>('SELECT * FROM basemaps ORDER BY added_at').all().map(toInfo);
    const chosen = this.settings.get(ACTIVE_KEY) ?? BUILTIN_BASEMAP;
    return { active: basemaps.some((b) => b.id === chosen) ? chosen : BUILTIN_BASEMAP, basemaps };
  }

  async add(source: string, name: string, at: number): Promise<BasemapInfo> {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(source);
    } catch {
      throw refuse('map.basemap_missing', `no file at ${source}`, { path: source });
    }
    if (!stat.isFile()) throw refuse('map.basemap_not_file', `${source} is not a file`, { path: source });
    const head = Buffer.alloc(16);
    const fd = fs.openSync(source, 'r');
    try {
      fs.readSync(fd, head, 0, 16, 0);
    } finally {
      fs.closeSync(fd);
    }
    const kind = head.subarray(0, 16).equals(SQLITE_MAGIC) ? 'mbtiles' : head.subarray(0, 7).equals(PMTILES_MAGIC) ? 'pmtiles' : null;
    if (!kind) throw refuse('map.basemap_not_basemap', 'not a basemap file: expected MBTiles (SQLite) or PMTiles');
    const described = kind === 'mbtiles' ? describeMbtiles(source, this.nativeBinding) : await describePmtiles(source);

    const id = uuidv7({ msecs: at });
    fs.mkdirSync(this.dir, { recursive: true });
    const file = path.join(this.dir, `${id}.${kind}`);
    fs.copyFileSync(source, file);
    const row: BasemapRow = {
      id,
      name: (name || described.name || path.basename(source)).slice(0, 100),
      kind,
      file,
      format: described.format,
      min_zoom: described.minZoom,
      max_zoom: described.maxZoom,
      bounds: described.bounds ? JSON.stringify(described.bounds) : null,
      vector_layers: JSON.stringify(described.vectorLayers),
      attribution: described.attribution,
    };
    try {
      this.db
        .prepare(
          `INSERT INTO basemaps (id, name, kind, file, format, min_zoom, max_zoom, bounds, vector_layers, attribution, added_at)
           VALUES (@id, @name, @kind, @file, @format, @min_zoom, @max_zoom, @bounds, @vector_layers, @attribution, @added_at)`,
        )
        .run({ ...row, added_at: at });
    } catch (error) {
      fs.rmSync(file, { force: true });
      throw error;
    }
    return toInfo(row);
  }

  select(id: string): string {
    if (id !== BUILTIN_BASEMAP) this.row(id);
    this.settings.set(ACTIVE_KEY, id);
    return id;
  }

  remove(id: string): string {
    const row = this.row(id);
    this.readers.get(id)?.close();
    this.readers.delete(id);
    this.db.prepare('DELETE FROM basemaps WHERE id = ?').run(id);
    fs.rmSync(row.file, { force: true });
    return this.list().active;
  }

  async tile(id: string, z: number, x: number, y: number): Promise<Buffer | null> {
    if (x >= 2 ** z || y >= 2 ** z) throw ContractError.field('x', 'map.tile_outside', 'tile outside its zoom level', { z }, 'outside the zoom level');
    const data = await this.reader(id).tile(z, x, y);
    return data ? gunzipIfNeeded(data) : null;
  }

  close(): void {
    for (const reader of this.readers.values()) reader.close();
    this.readers.clear();
  }

  private row(id: string): BasemapRow {
    const row = this.db.prepare<[string], BasemapRow>('SELECT * FROM basemaps WHERE id = ?').get(id);
    if (!row) throw ContractError.notFound(`no basemap with id ${id}`, { reason: 'map.basemap_not_found' });
    return row;
  }

  private reader(id: string): Reader {
    const open = this.readers.get(id);
    if (open) return open;
    const row = this.row(id);
    let reader: Reader;
    if (row.kind === 'mbtiles') {
      const db = openMbtiles(row.file, this.nativeBinding);
      const stmt = db.prepare<[number, number, number], { tile_data: Buffer }>('SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?');
      reader = {
        // MBTiles rows count from the south (TMS).
        tile: async (z, x, y) => stmt.get(z, x, 2 ** z - 1 - y)?.tile_data ?? null,
        close: () => db.close(),
      };
    } else {
      const fd = fs.openSync(row.file, 'r');
      const archive = new PMTiles(new FileRangeSource(fd, row.file));
      reader = {
        tile: async (z, x, y) => {
          const tile = await archive.getZxy(z, x, y);
          return tile ? Buffer.from(tile.data) : null;
        },
        close: () => fs.closeSync(fd),
      };
    }
    this.readers.set(id, reader);
    return reader;
  }
}
