/**
 * A damaged store (issue 16) in the browser: a host started on a data directory whose database
 * header is overwritten shows the recovery screen (problem, data directory, the verified backup with
 * its time); "restore this backup" replaces it and the console comes back at its login. Its own host
 * on its own port and data directory: the shared e2e store stays untouched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { openCore } from '../../electron/core';
import { createBackup } from '../../electron/core/backup';
import { DATABASE_FILE } from '../../electron/core/store';

const port = Number(process.env.E2E_PORT ?? 5199) + 11;
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test.describe('a damaged store', () => {
  let dir: string;
  let host: ChildProcess | null = null;

  test.beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-e2e-recovery-'));
    const core = openCore({ dataDir: dir, host: 'node', operator: 'tester', version: '0.0.0-test' });
    const draft = {
      category: 'illegal_landing',
      title: '桂山码头发现可疑快艇高速靠岸',
      description: '恢复测试',
      location: { lon: 113.8236, lat: 22.1352 },
      source: 'camera_alarm',
      priority: 1,
      reporter: '视频监控室',
      occurredAt: Date.now() - 3_600_000,
    };
    for (let i = 0; i < 4; i++) expect((await core.dispatch('incidents.create', { draft })).ok).toBe(true);
    await createBackup({ dataDir: dir, folder: path.join(dir, 'backups') });
    core.close();
    const fd = fs.openSync(path.join(dir, DATABASE_FILE), 'r+');
    fs.writeSync(fd, Buffer.alloc(64, 0x20), 0, 64, 0);
    fs.closeSync(fd);
    host = spawn(process.execPath, ['--import', 'tsx', 'electron/host/index.ts', '--data-dir', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`host did not start: ${out}`)), 60_000);
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('duty-room console:')) {
          clearTimeout(timer);
          resolve();
        }
      };
      host!.stdout!.on('data', onData);
      host!.stderr!.on('data', onData);
      host!.on('exit', (code) => reject(new Error(`host exited ${code}: ${out}`)));
    });
  });
  test.afterAll(() => {
    host?.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('shows the recovery screen, writes nothing into the damaged file, restores the verified backup', async ({ page }) => {
    const file = path.join(dir, DATABASE_FILE);
    const before = sha(file);
    await page.goto(`http://127.0.0.1:${port}/`);
    const screen = page.getByTestId('recovery-screen');
    await expect(screen).toBeVisible();
    await expect(page.getByTestId('recovery-problem')).toContainText('header');
    await expect(screen).toContainText(dir);
    const backup = page.getByTestId('recovery-backup');
    await expect(backup).toHaveCount(1);
    await expect(backup).toContainText('已校验');
    await expect(backup).toContainText('4 件事件');
    await page.screenshot({ path: 'test-results/recovery-screen.png' });
    expect(sha(file)).toBe(before);

    await backup.getByRole('button', { name: '恢复此备份' }).click();
    await expect(page.getByTestId('recovery-message')).toContainText('已恢复 4 件事件');
    // The page reloads onto the restored store: its first-start (administrator) or login screen.
    await expect(screen).toBeHidden({ timeout: 30_000 });
    await page.screenshot({ path: 'test-results/recovery-restored.png' });
    const kept = fs.readdirSync(dir).find((name) => name.startsWith(`${DATABASE_FILE}.damaged-`));
    expect(kept).toBeTruthy();
    expect(sha(path.join(dir, kept!))).toBe(before);
  });
});
