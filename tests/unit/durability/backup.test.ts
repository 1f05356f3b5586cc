import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../electron/core';
import { createBackup, listBackups, restoreBackup, verifyBackup } from '../../../electron/core/backup/backup';
import { DATABASE_FILE } from '../../../electron/core/store/database';
import { DRAFT } from '../../contract/suite';
import { jpeg, ok } from './helpers';

const CLI = path.resolve(__dirname, '../../../electron/host/backup.ts');
// node itself with tsx's loader, not the tsx wrapper: SIGKILL must reach the process doing the work.
const TSX_ARGS = ['--import', 'tsx'];

/** Runs the backup CLI; SIGKILLs it once its output contains `killAt` (null: let it finish). */
function cli(args: string[], killAt: RegExp | null): Promise<{ code: number | null; out: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX_ARGS, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let killed = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      if (killAt && !killed && killAt.test(out)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out, killed }));
  });
}

const rows = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return {
      incidents: db.prepare('SELECT id, version, status FROM incidents ORDER BY rid').all(),
      events: db.prepare('SELECT seq, hex(hash) AS hash FROM events ORDER BY seq').all(),
      attachments: db.prepare('SELECT sha256 FROM attachments ORDER BY rid').all(),
    };
  } finally {
    db.close();
  }
};
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('backups and restore', { timeout: 240_000 }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-backup-'));
  const dataDir = path.join(root, 'data');
  const folder = path.join(root, 'usb');
  let core: Core;
  let first: { dir: string };

  beforeAll(async () => {
    core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    for (let i = 0; i < 30; i++) {
      const incident = await ok<{ id: string; version: number }>(core, 'incidents.create', { draft: { ...DRAFT, title: `${DRAFT.title} ${i}` } });
      if (i % 3 === 0) await ok(core, 'attachments.add', { incidentId: incident.id, name: `p${i}.jpg`, mime: 'image/jpeg', dataBase64: jpeg(5000).toString('base64') });
    }
  });
  afterAll(() => {
    core?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('backs up a store while it serves, verified: every record, the chain and the pictures', async () => {
    const phases = new Set<string>();
    // Writes go on while the copy runs; the copy is one consistent moment.
    const writing = (async () => {
      for (let i = 0; i < 10; i++) await ok(core, 'incidents.create', { draft: DRAFT });
    })();
    first = await createBackup({ dataDir, folder, onProgress: (p) => phases.add(p.phase) });
    await writing;
    expect([...phases]).toEqual(['database', 'attachments']);
    const v = verifyBackup(first.dir);
    expect(v).toMatchObject({ ok: true, problem: null });
    expect(v.incidents).toBeGreaterThanOrEqual(30);
    expect(fs.readdirSync(path.join(first.dir, 'attachments'))).toHaveLength(10);
    expect(listBackups(folder).map((b) => b.dir)).toEqual([first.dir]);
  });

  it('restores a backup exactly (records, chain, pictures), keeping the store it replaced', async () => {
    const backupRows = rows(path.join(first.dir, DATABASE_FILE));
    core.close();
    const beforeRestore = rows(path.join(dataDir, DATABASE_FILE));
    const { kept } = await restoreBackup({ dataDir, from: first.dir });
    expect(rows(path.join(dataDir, DATABASE_FILE))).toEqual(backupRows);
    expect(rows(kept!)).toEqual(beforeRestore);
    core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    expect(await ok(core, 'events.verify', {})).toMatchObject({ ok: true });
    const attachment = (backupRows.attachments[0] as { sha256: string }).sha256;
    expect(sha(path.join(dataDir, 'attachments', attachment))).toBe(attachment);
    await ok(core, 'incidents.create', { draft: DRAFT }); // and it is a working store
  });

  it('refuses to restore while the console has the store open, and a damaged backup; nothing changes', async () => {
    const file = path.join(dataDir, DATABASE_FILE);
    await expect(restoreBackup({ dataDir, from: first.dir })).rejects.toThrow(/in use/);
    core.close();
    const before = sha(file);
    const damaged = path.join(root, 'damaged');
    fs.cpSync(first.dir, damaged, { recursive: true });
    const copy = path.join(damaged, DATABASE_FILE);
    const bytes = fs.readFileSync(copy);
    bytes.fill(0x5a, 4096 * 3, 4096 * 3 + 200); // a page scribbled over
    fs.writeFileSync(copy, bytes);
    expect(verifyBackup(damaged).ok).toBe(false);
    await expect(restoreBackup({ dataDir, from: damaged })).rejects.toThrow(/did not pass verification/);
    expect(sha(file)).toBe(before);
    core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
  });

  it('a backup killed (SIGKILL) half-way leaves the store and earlier backups intact and no backup that looks whole', async () => {
    core.close();
    // Big enough that the copy takes several steps: ~4 MiB of incidents.
    const db = new Database(path.join(dataDir, DATABASE_FILE));
    db.exec(`CREATE TABLE IF NOT EXISTS ballast (x BLOB);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) INSERT INTO ballast SELECT randomblob(4096) FROM n;`);
    db.close();
    const before = sha(path.join(dataDir, DATABASE_FILE));
    const killed = await cli(['backup', '--data-dir', dataDir, '--to', folder], /database [1-9]\d?%/);
    expect(killed.killed, killed.out).toBe(true);
    expect(listBackups(folder).map((b) => b.dir)).toEqual([first.dir]);
    expect(verifyBackup(first.dir).ok).toBe(true);
    expect(sha(path.join(dataDir, DATABASE_FILE))).toBe(before);
    const done = await cli(['backup', '--data-dir', dataDir, '--to', folder, '--keep', '5'], null);
    expect(done.code, done.out).toBe(0);
    expect(fs.readdirSync(folder).filter((n) => n.endsWith('.partial'))).toEqual([]); // the killed one's leftovers are gone
    expect(listBackups(folder)).toHaveLength(2);
    core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
  });

  it('a restore killed (SIGKILL) at any step leaves the previous store or the restored one, whole', async () => {
    core.close();
    const file = path.join(dataDir, DATABASE_FILE);
    const previous = rows(file);
    const restored = rows(path.join(first.dir, DATABASE_FILE));
    for (const step of [/verify 0%/, /verify 100%/, /attachments/, /restore 0%/]) {
      const run = await cli(['restore', '--data-dir', dataDir, '--from', first.dir], step);
      const now = rows(file);
      const whole = JSON.stringify(now) === JSON.stringify(previous) || JSON.stringify(now) === JSON.stringify(restored);
      expect(whole, `killed at ${step}: ${run.out}`).toBe(true);
      const check = new Database(file, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();
    }
    const last = await cli(['restore', '--data-dir', dataDir, '--from', first.dir], null);
    expect(last.code, last.out).toBe(0);
    expect(rows(file)).toEqual(restored);
    core = openCore({ dataDir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    expect(await ok(core, 'events.verify', {})).toMatchObject({ ok: true });
  });
});
