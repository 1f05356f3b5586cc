/**
 * A damaged store over each transport (issue 16): the recovery state before any login, store.corrupt
 * for everything else, the verified restore, and the full check as a job on a sound store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@shared';
import { openCore, type Core } from '../../electron/core';
import { createBackup } from '../../electron/core/backup/backup';
import { DATABASE_FILE } from '../../electron/core/store/database';
import { DRAFT, expectContractError, type TransportFactory, type TransportHarness } from './suite';
import { cosignBy } from './login';

export function recoverySuite(label: string, factory: TransportFactory): void {
  describe(`a damaged store over ${label}`, { timeout: 120_000 }, () => {
    let dir: string;
    let core: Core;
    let harness: TransportHarness;

    beforeEach(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-recovery-'));
      const seed = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
      for (let i = 0; i < 5; i++) {
        const answer = await seed.dispatch('incidents.create', { draft: DRAFT });
        expect(answer.ok).toBe(true);
      }
      await createBackup({ dataDir: dir, folder: path.join(dir, 'backups') });
      seed.close();
    });
    afterEach(async () => {
      await harness?.close();
      core?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('a sound store: state ok, the full check runs as a job with progress, restore is not needed', async () => {
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
      harness = await factory(core);
      const { client } = await harness.open();
      expect(await client.invoke('recovery.status', {})).toMatchObject({ state: 'ok', problem: null, dataDir: dir, backups: [] });
      const progress: Job[] = [];
      const off = client.subscribe('job.progress', (job) => progress.push(job));
      const check = await client.invoke('store.check', {});
      off();
      expect(check).toMatchObject({ ok: true, integrity: 'ok', chainOk: true, checked: 5, firstBadSeq: null });
      expect(progress.some((job) => job.kind === 'store.check' && job.state === 'done')).toBe(true);
      const refused = await expectContractError(client.invoke('recovery.restore', { name: 'anything' }), 'refused');
      expect(refused.reason).toBe('recovery.not_needed');
    });

    it('a damaged header: the recovery state before login, store.corrupt for the rest, a verified restore', async () => {
      const file = path.join(dir, DATABASE_FILE);
      const fd = fs.openSync(file, 'r+');
      fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
      fs.closeSync(fd);
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
      harness = await factory(core);
      const { client } = await harness.open({ signedIn: false });
      const status = await client.invoke('recovery.status', {});
      expect(status).toMatchObject({ state: 'recovery', dataDir: dir });
      expect(status.backups).toHaveLength(1);
      expect(status.backups[0]).toMatchObject({ verified: true, incidents: 5, events: 5 });
      const corrupt = await expectContractError(client.invoke('auth.status', {}), 'refused');
      expect(corrupt.reason).toBe('store.corrupt');
      expect(corrupt.params).toEqual({ dataDir: dir });
      const invalid = await expectContractError(client.invoke('recovery.restore', { name: '' }), 'validation');
      expect(invalid.code).toBe('validation');
      const restored = await client.invoke('recovery.restore', { name: status.backups[0]!.name });
      expect(restored).toMatchObject({ incidents: 5, events: 5 });
      expect(restored.kept).toMatch(/damaged-/);
      // This window reloads; a new one logs in to the restored store.
      const again = await expectContractError(client.invoke('recovery.status', {}), 'refused');
      expect(again.reason).toBe('recovery.not_needed');
      const fresh = await harness.open();
      expect((await fresh.client.invoke('incidents.summary', {})).total).toBe(5);
      expect((await fresh.client.invoke('recovery.status', {})).state).toBe('ok');
    });

    it('backups from the console: settings co-signed, a backup now as a job with progress, the list with its verified state', async () => {
      core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
      harness = await factory(core);
      const { client } = await harness.open();
      const initial = await client.invoke('backup.settings', {});
      expect(initial).toEqual({ settings: { folder: null, dailyAt: '02:30', keep: 14 }, folder: path.join(dir, 'backups') });
      const usb = path.join(dir, 'usb');
      const settings = { folder: usb, dailyAt: '03:15', keep: 2 };
      const uncosigned = await expectContractError(client.invoke('backup.updateSettings', { settings }), 'forbidden');
      expect(uncosigned.reason).toBe('auth.cosign_required');
      const bad = await expectContractError(client.invoke('backup.updateSettings', { settings: { ...settings, dailyAt: '25:00' }, cosign: await cosignBy(core) }), 'validation');
      expect(bad.code).toBe('validation');
      expect(await client.invoke('backup.updateSettings', { settings, cosign: await cosignBy(core) })).toEqual({ settings, folder: usb });
      expect(await client.invoke('backup.settings', {})).toEqual({ settings, folder: usb });
      expect(await client.invoke('backup.list', {})).toEqual({ folder: usb, backups: [] });

      const progress: Job[] = [];
      const off = client.subscribe('job.progress', (job) => progress.push(job));
      for (let i = 0; i < 3; i++) {
        const made = await client.invoke('backup.create', {});
        expect(made).toMatchObject({ incidents: 5, events: 5, attachments: 0 });
        await new Promise((resolve) => setTimeout(resolve, 5)); // backups are named by the millisecond
      }
      off();
      expect(progress.some((job) => job.kind === 'backup.create' && job.phase === 'database')).toBe(true);
      expect(progress.filter((job) => job.kind === 'backup.create' && job.state === 'done')).toHaveLength(3);
      const { backups } = await client.invoke('backup.list', {});
      // keep 2: the oldest was removed after the third
      expect(backups).toHaveLength(2);
      expect(backups.every((b) => b.verified && b.incidents === 5)).toBe(true);
    });
  });
}
