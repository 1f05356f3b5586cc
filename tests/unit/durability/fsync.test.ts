import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCore, type Core } from '../../../electron/core';
import { DATABASE_FILE, openDatabase } from '../../../electron/core/store/database';
import { ATTACHMENTS_DIR } from '../../../electron/core/attachments/attachment-store';
import { DRAFT } from '../../contract/suite';
import { jpeg, ok } from './helpers';


describe('power-loss durability', { timeout: 30_000 }, () => {
  const dirs: string[] = [];
  let core: Core | null = null;
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-durable-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    vi.restoreAllMocks();
    core?.close();
    core = null;
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('commits with synchronous = FULL (an acknowledged commit is fsynced, WAL mode)', () => {
    const db = openDatabase(path.join(tempDir(), DATABASE_FILE));
    try {
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('fsyncs an attachment and its directory entry before its row commits', async () => {
    const dir = tempDir();
    core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    const incident = await ok<{ id: string }>(core, 'incidents.create', { draft: DRAFT });
    await ok(core, 'attachments.add', { incidentId: incident.id, name: 'first.jpg', mime: 'image/jpeg', dataBase64: jpeg(1000).toString('base64') });

    // A second connection, as a power cut would find the file: how many attachment rows are committed?
    const observer = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
    const committed = () => (observer.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n;
    const fsyncs: { file: string; committedRows: number }[] = [];
    const fsyncSync = fs.fsyncSync.bind(fs);
    vi.spyOn(fs, 'fsyncSync').mockImplementation((fd: number) => {
      fsyncs.push({ file: fs.readlinkSync(`/proc/self/fd/${fd}`), committedRows: committed() });
      fsyncSync(fd);
    });
    try {
      const data = jpeg(50_000);
      const { attachment: added } = await ok<{ attachment: { sha256: string } }>(core, 'attachments.add', { incidentId: incident.id, name: 'photo.jpg', mime: 'image/jpeg', dataBase64: data.toString('base64') });
      const attachments = path.join(dir, ATTACHMENTS_DIR);
      const fileSync = fsyncs.findIndex((f) => path.dirname(f.file) === attachments && path.basename(f.file).startsWith(`${added.sha256}.`) && f.file.endsWith('.tmp'));
      const dirSync = fsyncs.findIndex((f) => f.file === attachments);
      expect(fileSync, JSON.stringify(fsyncs)).toBeGreaterThanOrEqual(0);
      expect(dirSync).toBeGreaterThan(fileSync); // file, rename, then the directory
      expect(fsyncs[fileSync]!.committedRows).toBe(1); // the row of the first picture only
      expect(fsyncs[dirSync]!.committedRows).toBe(1);
      expect(committed()).toBe(2); // and the row once it was acknowledged
      expect(fs.readFileSync(path.join(attachments, added.sha256))).toEqual(data);
      expect(fs.readdirSync(attachments).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    } finally {
      observer.close();
    }
  });

  it('removes temporary files a crash left in attachments/ at start, and keeps the pictures', async () => {
    const dir = tempDir();
    core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    const incident = await ok<{ id: string }>(core, 'incidents.create', { draft: DRAFT });
    const { attachment: added } = await ok<{ attachment: { id: string; sha256: string } }>(core, 'attachments.add', { incidentId: incident.id, name: 'a.jpg', mime: 'image/jpeg', dataBase64: jpeg(2000).toString('base64') });
    core.close();
    core = null;
    const attachments = path.join(dir, ATTACHMENTS_DIR);
    fs.writeFileSync(path.join(attachments, `${added.sha256}.4242.deadbeef.tmp`), 'half a picture');
    fs.writeFileSync(path.join(attachments, 'ffff.4242.tmp'), '');
    core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    expect(fs.readdirSync(attachments)).toEqual([added.sha256]);
    await ok(core, 'attachments.get', { id: added.id });
  });
});
