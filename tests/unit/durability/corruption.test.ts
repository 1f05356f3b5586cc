import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../electron/core';
import { createBackup } from '../../../electron/core/backup/backup';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { quickCheckStore } from '../../../electron/core/store/check';
import { DRAFT } from '../../contract/suite';
import { jpeg, ok } from './helpers';

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** The page numbers of a table's b-tree (dbstat is not compiled in: the root page and its size). */
function rootPage(file: string, table: string): { page: number; pageSize: number } {
  const db = new Database(file, { readonly: true });
  try {
    const { rootpage } = db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').get(table) as { rootpage: number };
    return { page: rootpage, pageSize: db.pragma('page_size', { simple: true }) as number };
  } finally {
    db.close();
  }
}

/** Overwrites bytes of a page (1-based) with random bytes, past its first `skip` bytes. */
function damagePage(file: string, page: number, pageSize: number, skip = 0): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, randomBytes(pageSize - skip), 0, pageSize - skip, (page - 1) * pageSize + skip);
  } finally {
    fs.closeSync(fd);
  }
}

describe('a damaged store', { timeout: 240_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-corrupt-'));
  const good = path.join(root, 'good');
  const cores: Core[] = [];
  let incidents = 0;

  beforeAll(async () => {
    const core = openCore({ dataDir: good, host: 'node', operator: 'tester', version: '0.0.0-test' });
    for (let i = 0; i < 60; i++) {
      const incident = await ok<{ id: string }>(core, 'incidents.create', { draft: { ...DRAFT, title: `${DRAFT.title} ${i} ${'长'.repeat(150)}` } });
      if (i % 20 === 0) await ok(core, 'attachments.add', { incidentId: incident.id, name: `p${i}.jpg`, mime: 'image/jpeg', dataBase64: jpeg(3000).toString('base64') });
    }
    incidents = 60;
    await createBackup({ dataDir: good, folder: path.join(good, 'backups') });
    core.close();
  });
  afterAll(() => {
    for (const core of cores) core.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** A copy of the good data directory (store, pictures, its backups folder). */
  const copy = (name: string) => {
    const dir = path.join(root, name);
    fs.cpSync(good, dir, { recursive: true });
    return dir;
  };
  const open = (dataDir: string, extra: Partial<Parameters<typeof openCore>[0]> = {}) => {
    const core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test', ...extra });
    cores.push(core);
    return core;
  };

  it('the quick check passes a sound store', () => {
    expect(quickCheckStore(path.join(good, DATABASE_FILE))).toEqual({ ok: true, problem: null, pagesChecked: true });
  });

  it('a damaged header: the core starts in recovery, serves nothing else, writes no byte; a verified restore brings the store back', async () => {
    const dataDir = copy('header');
    const file = path.join(dataDir, DATABASE_FILE);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.from('this is not sqlite'), 0, 18, 0);
    fs.closeSync(fd);
    const before = sha(file);

    const core = open(dataDir);
    const status = await ok<{ state: string; problem: string; dataDir: string; backups: { name: string; verified: boolean; incidents: number }[] }>(core, 'recovery.status', {});
    expect(status.state).toBe('recovery');
    expect(status.problem).toMatch(/header/);
    expect(status.dataDir).toBe(dataDir);
    expect(status.backups).toHaveLength(1);
    expect(status.backups[0]).toMatchObject({ verified: true, incidents });

    for (const [name, input] of [['incidents.list', {}], ['incidents.create', { draft: DRAFT }], ['auth.status', {}], ['system.info', {}]] as const) {
      const answer = await core.dispatch(name, input);
      expect(answer.ok).toBe(false);
      if (!answer.ok) expect(answer.error.reason).toBe('store.corrupt');
    }
    expect(sha(file)).toBe(before);

    const unknown = await core.dispatch('recovery.restore', { name: 'duty-backup-nope' });
    expect(!unknown.ok && unknown.error.reason).toBe('recovery.no_backup');

    const restored = await ok<{ incidents: number; kept: string }>(core, 'recovery.restore', { name: status.backups[0]!.name });
    expect(restored.incidents).toBe(incidents);
    // The damaged file is kept aside as it was, byte for byte.
    expect(sha(restored.kept)).toBe(before);
    // The same core now serves the restored store.
    const list = await ok<{ total: number }>(core, 'incidents.list', {});
    expect(list.total).toBe(incidents);
    const verify = await ok<{ ok: boolean }>(core, 'store.check', {});
    expect(verify.ok).toBe(true);
    expect((await ok<{ state: string }>(core, 'recovery.status', {})).state).toBe('ok');
  });

  it('a damaged page: the quick check finds it, recovery without writing into the file', async () => {
    const dataDir = copy('page');
    const file = path.join(dataDir, DATABASE_FILE);
    const { page, pageSize } = rootPage(file, 'incidents');
    damagePage(file, page, pageSize, 8);
    const before = sha(file);
    const core = open(dataDir);
    const status = await ok<{ state: string; problem: string }>(core, 'recovery.status', {});
    expect(status.state).toBe('recovery');
    expect(status.problem.length).toBeGreaterThan(0);
    const write = await core.dispatch('incidents.create', { draft: DRAFT });
    expect(!write.ok && write.error.reason).toBe('store.corrupt');
    core.close();
    expect(sha(file)).toBe(before);
  });

  it('a page that goes bad while serving: writes stop with store.corrupt, the full check (a job) reports it', async () => {
    const dataDir = copy('serving');
    const file = path.join(dataDir, DATABASE_FILE);
    const { page, pageSize } = rootPage(file, 'events');
    damagePage(file, page, pageSize, 8);
    // Too large for the quick check (as a big store would be): the core serves, the damage is met later.
    const core = open(dataDir, { quickCheckMaxBytes: 0 });
    const corrupted: unknown[] = [];
    core.onEvent((name, payload) => name === 'store.corrupted' && corrupted.push(payload));
    const check = await ok<{ ok: boolean; integrity: string; chainOk: boolean }>(core, 'store.check', {});
    expect(check.ok).toBe(false);
    expect(check.integrity).not.toBe('ok');
    expect(corrupted).toHaveLength(1);
    const status = await ok<{ state: string; problem: string }>(core, 'recovery.status', {});
    expect(status.state).toBe('corrupt');
    const before = sha(file);
    const write = await core.dispatch('incidents.create', { draft: DRAFT });
    expect(!write.ok && write.error.reason).toBe('store.corrupt');
    const restore = await core.dispatch('recovery.restore', { name: 'x' });
    expect(!restore.ok && restore.error.reason).toBe('recovery.not_needed');
    expect(sha(file)).toBe(before);
  });

  it('SQLITE_CORRUPT met by a command marks the store corrupt and refuses writes', async () => {
    const dataDir = copy('meet');
    const file = path.join(dataDir, DATABASE_FILE);
    const { page, pageSize } = rootPage(file, 'events');
    damagePage(file, page, pageSize, 8);
    const core = open(dataDir, { quickCheckMaxBytes: 0 });
    const list = await ok<{ rows: { id: string }[] }>(core, 'incidents.list', {});
    const answer = await core.dispatch('incidents.get', { id: list.rows[0]!.id });
    expect(!answer.ok && answer.error.reason).toBe('store.corrupt');
    const write = await core.dispatch('incidents.create', { draft: DRAFT });
    expect(!write.ok && write.error.reason).toBe('store.corrupt');
  });
});

describe('a backup stopped midway', { timeout: 120_000 }, () => {
  it('leaves nothing in the folder: neither a backup nor a partial one', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-stop-'));
    try {
      const dataDir = path.join(root, 'data');
      const core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
      for (let i = 0; i < 3; i++) {
        const incident = await ok<{ id: string }>(core, 'incidents.create', { draft: DRAFT });
        await ok(core, 'attachments.add', { incidentId: incident.id, name: `p${i}.jpg`, mime: 'image/jpeg', dataBase64: jpeg(2000).toString('base64') });
      }
      const folder = path.join(root, 'usb');
      for (const stopAt of ['database', 'attachments']) {
        let phase = '';
        await expect(
          createBackup({ dataDir, folder, onProgress: (p) => (phase = p.phase), shouldStop: () => phase === stopAt }),
        ).rejects.toThrow(/stopped/);
        expect(fs.readdirSync(folder)).toEqual([]);
      }
      core.close();
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
