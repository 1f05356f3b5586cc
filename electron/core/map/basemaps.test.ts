import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_BASEMAP, ContractError } from '@shared';
import { DATABASE_FILE, openDatabase, type Db } from '../store/database';
import { SettingsStore } from '../store/settings';
import { BasemapStore } from './basemaps';
import { guishanTiles, solidPng, writeMbtiles, writePmtiles } from '../../../tests/fixtures/basemap-files';

const NOW = Date.UTC(2026, 5, 1);
let dir: string;
let db: Db;
let store: BasemapStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-basemaps-'));
  db = openDatabase(path.join(dir, DATABASE_FILE));
  store = new BasemapStore(db, new SettingsStore(db), dir);
});

afterEach(() => {
  store.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const PNG = solidPng(4, [10, 40, 70, 255]);
const VECTOR_TILE = Buffer.from([0x1a, 0x00]); // an empty layer message: enough for the reader
const GUISHAN_Z12 = guishanTiles(() => PNG).find((t) => t.z === 12)!;

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ContractError);
  expect((error as ContractError).code).toBe('validation');
  return (error as ContractError).message;
}

describe('basemap files', () => {
  it('loads a raster MBTiles, copies it in, serves its tiles by XYZ and persists the choice', async () => {
    const source = path.join(dir, 'raster.mbtiles');
    writeMbtiles(source, { format: 'png', tiles: guishanTiles(() => PNG) });
    const info = await store.add(source, '', NOW);
    expect(info).toMatchObject({ name: 'test basemap', kind: 'mbtiles', format: 'png', minZoom: 10, maxZoom: 12, bounds: [113.79, 22.11, 113.85, 22.17], attribution: 'Town GIS office' });
    fs.rmSync(source); // the USB stick is gone: the copy serves
    expect(await store.tile(info.id, GUISHAN_Z12.z, GUISHAN_Z12.x, GUISHAN_Z12.y)).toEqual(PNG);
    expect(await store.tile(info.id, 12, 0, 0)).toBeNull();
    expect(store.list().active).toBe(BUILTIN_BASEMAP);
    store.select(info.id);
    expect(new BasemapStore(db, new SettingsStore(db), dir).list()).toMatchObject({ active: info.id, basemaps: [{ id: info.id }] });
    expect(store.remove(info.id)).toBe(BUILTIN_BASEMAP);
    expect(store.list()).toEqual({ active: BUILTIN_BASEMAP, basemaps: [] });
    expect(fs.readdirSync(path.join(dir, 'basemaps'))).toEqual([]);
  });

  it('loads a vector MBTiles and un-gzips its tiles', async () => {
    const source = path.join(dir, 'vector.mbtiles');
    writeMbtiles(source, { format: 'pbf', gzip: true, tiles: guishanTiles(() => VECTOR_TILE), json: { vector_layers: [{ id: 'water' }, { id: 'roads' }] } });
    const info = await store.add(source, '镇国土所底图', NOW);
    expect(info).toMatchObject({ name: '镇国土所底图', format: 'pbf', vectorLayers: ['water', 'roads'] });
    expect(await store.tile(info.id, GUISHAN_Z12.z, GUISHAN_Z12.x, GUISHAN_Z12.y)).toEqual(VECTOR_TILE);
  });

  it('loads a PMTiles archive and serves its tiles', async () => {
    const source = path.join(dir, 'island.pmtiles');
    writePmtiles(source, { tileType: 2, tiles: guishanTiles((z) => solidPng(2, [z, 0, 0, 255])), metadata: { name: 'island', attribution: 'GIS' } });
    const info = await store.add(source, '', NOW);
    expect(info).toMatchObject({ kind: 'pmtiles', format: 'png', minZoom: 10, maxZoom: 12, name: 'island', attribution: 'GIS' });
    expect(await store.tile(info.id, GUISHAN_Z12.z, GUISHAN_Z12.x, GUISHAN_Z12.y)).toEqual(solidPng(2, [12, 0, 0, 255]));
    expect(await store.tile(info.id, 12, 0, 0)).toBeNull();
  });

  it('refuses what is not a basemap, and changes nothing', async () => {
    expect(await refusal(store.add(path.join(dir, 'missing.mbtiles'), '', NOW))).toMatch(/no file at/);
    expect(await refusal(store.add(dir, '', NOW))).toMatch(/is not a file/);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'hello, this is not a tile archive');
    expect(await refusal(store.add(text, '', NOW))).toMatch(/expected MBTiles \(SQLite\) or PMTiles/);
    const sqlite = path.join(dir, 'other.sqlite');
    openDatabase(sqlite).close();
    expect(await refusal(store.add(sqlite, '', NOW))).toMatch(/no "tiles" and "metadata" tables/);
    const tiff = path.join(dir, 'tiff.mbtiles');
    writeMbtiles(tiff, { format: 'tiff', tiles: guishanTiles(() => PNG) });
    expect(await refusal(store.add(tiff, '', NOW))).toMatch(/unsupported tile format "tiff"/);
    const layerless = path.join(dir, 'layerless.mbtiles');
    writeMbtiles(layerless, { format: 'pbf', tiles: guishanTiles(() => VECTOR_TILE) });
    expect(await refusal(store.add(layerless, '', NOW))).toMatch(/must list its layers/);
    const broken = path.join(dir, 'broken.pmtiles');
    fs.writeFileSync(broken, Buffer.concat([Buffer.from('PMTiles'), Buffer.from([3]), Buffer.alloc(40)]));
    expect(await refusal(store.add(broken, '', NOW))).toMatch(/PMTiles/);
    expect(store.list().basemaps).toEqual([]);
    expect(() => store.select('nope')).toThrow(/no basemap/);
    await expect(store.tile('nope', 1, 0, 0)).rejects.toThrow(/no basemap/);
  });
});
