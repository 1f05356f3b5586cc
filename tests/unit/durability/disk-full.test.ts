import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../../../electron/core';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { ATTACHMENTS_DIR } from '../../../electron/core/attachments/attachment-store';
import type { Envelope } from '@shared';
import { DRAFT } from '../../contract/suite';
import { jpeg, ok } from './helpers';

/**
 * A full disk, for real where this machine lets the test mount a 4 MB tmpfs (root, as on the
 * project's CI); else simulated: ENOSPC from fs.writeSync and 0 bytes free from statfs. The run
 * says which one it was (DUTY_SIMULATE_FULL_DISK=1 forces the simulation).
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-full-'));
const dataDir = path.join(root, 'data');
let mounted = false;
try {
  fs.mkdirSync(dataDir);
  if (process.env.DUTY_SIMULATE_FULL_DISK === '1') throw new Error('simulation asked for');
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dataDir], { stdio: 'ignore' });
  mounted = true;
} catch {
  mounted = false;
}
console.info(mounted ? 'disk-full tests: a real 4 MB tmpfs' : 'disk-full tests: SIMULATED ENOSPC (no tmpfs: not mountable here, or DUTY_SIMULATE_FULL_DISK=1)');

const FILLER = path.join(dataDir, 'filler.bin');
/** Room the attachments cannot take, freed at the end so the store can be written again. */
const BALLAST = path.join(dataDir, 'ballast.bin');
/** Fills the disk to the last byte (tmpfs), or makes the disk look full (simulated). */
function fillDisk(): void {
  if (!mounted) {
    const statfsSync = fs.statfsSync.bind(fs);
    vi.spyOn(fs, 'statfsSync').mockImplementation(((p: fs.PathLike) => ({ ...statfsSync(p), bavail: 0 })) as typeof fs.statfsSync);
    vi.spyOn(fs, 'writeSync').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    return;
  }
  const fd = fs.openSync(FILLER, 'a');
  try {
    for (const size of [1 << 20, 64 << 10, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size);
      try {
        for (;;) fs.writeSync(fd, chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
function freeDisk(): void {
  vi.restoreAllMocks();
  fs.rmSync(FILLER, { force: true });
  fs.rmSync(BALLAST, { force: true });
}

const sha = (file: string) => (fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : null);
const open = () => openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });


describe(`a full disk (${mounted ? 'real tmpfs' : 'simulated'})`, { timeout: 60_000 }, () => {
  let core: Core | null = null;
  let incidentId = '';

  beforeAll(async () => {
    core = open();
    incidentId = (await ok<{ id: string }>(core, 'incidents.create', { draft: DRAFT })).id;
  });
  afterAll(() => {
    freeDisk();
    core?.close();
    if (mounted) execFileSync('umount', [dataDir]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses an attachment that does not fit with store.disk_full, naming the data directory and its free space; no .tmp, no row', async () => {
    const c = core!;
    let failure: Envelope | null = null;
    let added = 0;
    if (!mounted) fillDisk();
    else fs.writeFileSync(BALLAST, Buffer.alloc(1536 * 1024));
    for (let i = 0; i < 40 && !failure; i++) {
      const envelope = await c.dispatch('attachments.add', { incidentId, name: `p${i}.jpg`, mime: 'image/jpeg', dataBase64: jpeg(300_000).toString('base64') });
      if (envelope.ok) added++;
      else failure = envelope;
    }
    expect(failure).toMatchObject({ ok: false, error: { code: 'refused', reason: 'store.disk_full', params: { dataDir } } });
    const params = (failure as unknown as { error: { params: { free: string } } }).error.params;
    expect(params.free).toMatch(/^\d+(\.\d)? (B|KB|MB)$/);
    expect(fs.readdirSync(path.join(dataDir, ATTACHMENTS_DIR)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(await ok<unknown[]>(c, 'attachments.list', { incidentId })).toHaveLength(added);
    if (mounted) expect(added).toBeGreaterThan(0);
    expect(await ok(c, 'events.verify', {})).toMatchObject({ ok: true });
  });

  it('refuses writes once the disk is full to the last byte, all or nothing', async () => {
    const c = core!;
    fillDisk();
    const before = (await ok<{ total: number }>(c, 'incidents.list', { filter: {}, offset: 0, limit: 1 })).total;
    let created = 0;
    let failure: Envelope | null = null;
    // The WAL may still have room for a few commits (SQLite reuses it after a checkpoint).
    for (let i = 0; i < (mounted ? 2000 : 1) && !failure; i++) {
      const envelope = await c.dispatch('incidents.create', { draft: { ...DRAFT, description: 'x'.repeat(2000) } });
      if (envelope.ok) created++;
      else failure = envelope;
    }
    if (!mounted) expect(created).toBeGreaterThanOrEqual(0); // simulated: SQLite itself is not out of space
    if (mounted) {
      expect(failure).toMatchObject({ ok: false, error: { code: 'refused', reason: 'store.disk_full', params: { dataDir } } });
      expect((await ok<{ total: number }>(c, 'incidents.list', { filter: {}, offset: 0, limit: 1 })).total).toBe(before + created);
      expect(await ok(c, 'events.verify', {})).toMatchObject({ ok: true });
    }
    c.close();
    core = null;
  });

  it('starts read-only on a full disk: reads work, writes are refused with store.read_only, not a byte is written', async () => {
    const file = path.join(dataDir, DATABASE_FILE);
    const before = { db: sha(file), wal: sha(`${file}-wal`) };
    const c = (core = open());
    const info = await ok<{ readOnly: { reason: string; free: string } | null; offerDemo: boolean }>(c, 'system.info', {});
    expect(info.readOnly).toMatchObject({ reason: 'disk_full' });
    expect(info.offerDemo).toBe(false);
    const list = await ok<{ total: number }>(c, 'incidents.list', { filter: {}, offset: 0, limit: 5 });
    expect(list.total).toBeGreaterThan(0);
    expect(await ok(c, 'events.verify', {})).toMatchObject({ ok: true });
    const refused = await c.dispatch('incidents.create', { draft: DRAFT });
    expect(refused).toMatchObject({ ok: false, error: { code: 'refused', reason: 'store.read_only', params: { dataDir } } });
    const attach = await c.dispatch('attachments.add', { incidentId, name: 'late.jpg', mime: 'image/jpeg', dataBase64: jpeg(100).toString('base64') });
    expect(attach).toMatchObject({ ok: false, error: { code: 'refused', reason: 'store.read_only' } });
    c.close();
    core = null;
    expect({ db: sha(file), wal: sha(`${file}-wal`) }).toEqual(before);
    expect(fs.readdirSync(path.join(dataDir, ATTACHMENTS_DIR)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('is writable again once space is freed', async () => {
    freeDisk();
    const c = (core = open());
    expect((await ok<{ readOnly: unknown }>(c, 'system.info', {})).readOnly).toBeNull();
    await ok(c, 'incidents.create', { draft: DRAFT });
    expect(await ok(c, 'events.verify', {})).toMatchObject({ ok: true });
  });
});
