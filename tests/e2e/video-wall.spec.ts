import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { startOnvifSimulator, type OnvifSimulator } from '../../electron/core/cameras/simulator/onvif-simulator';
import { startRtspServer, type RtspServer } from '../support/rtsp-server';

/**
 * The video monitoring room: register simulated ONVIF cameras (one with a wrong password first),
 * build a 4-up wall of live H.264 from GStreamer's RTSP server, go 16-up (sub-streams) and single
 * view (main stream), lose the RTSP server and get it back — with one ffmpeg per stream throughout
 * and nothing leaving localhost.
 */

const ARTIFACTS = 'tests/e2e/artifacts';
const RTSP_PORT = Number(process.env.E2E_RTSP_PORT ?? Number(process.env.E2E_PORT ?? 5199) + 3000);
const PASSWORD = 'Haifang#2026';
// Not the demo cameras' names: after incident-loop the store holds the demo (and its cameras).
const NAMES = ['东湾码头', '北堤海滩', '环岛路口', '渡口候船厅'];

let rtsp: RtspServer;
const sims: OnvifSimulator[] = [];
const foreignRequests: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  rtsp = await startRtspServer(RTSP_PORT, ['main=960x540@25', 'sub=480x270@25']);
  for (const [i, name] of NAMES.entries()) {
    sims.push(
      await startOnvifSimulator({
        name,
        serialNumber: `E2E-${i}`,
        username: 'admin',
        password: PASSWORD,
        auth: i % 2 ? 'digest' : 'ws-security',
        clockOffsetMs: i * 7 * 60_000, // drifted camera clocks
        ptz: i === 0,
        // All cameras share the server's two mounts: two encoders on this 2-core machine, not eight.
        profiles: [
          { token: 'main', name: 'Main', width: 960, height: 540, fps: 25, streamUri: rtsp.url('main') },
          { token: 'sub', name: 'Sub', width: 480, height: 270, fps: 25, streamUri: rtsp.url('sub') },
        ],
      }),
    );
  }
});

test.afterAll(async () => {
  for (const sim of sims) await sim.close();
  await rtsp?.stop();
});

/** The relay's ffmpeg processes reading our RTSP server, and whether any is a zombie. */
function relayProcesses(): { count: number; zombies: number } {
  const out = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' });
  const lines = out.split('\n').filter((l) => l.includes('ffmpeg') && l.includes(`:${RTSP_PORT}/`));
  return { count: lines.length, zombies: lines.filter((l) => l.trim().startsWith('Z')).length };
}

async function framesOf(page: Page, index: number): Promise<number> {
  return page.getByTestId(`tile-${index}`).locator('video').evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames);
}

async function expectPlaying(page: Page, tiles: number[]) {
  for (const i of tiles) await expect(page.getByTestId(`tile-${i}`)).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
  const before = await Promise.all(tiles.map((i) => framesOf(page, i)));
  await page.waitForTimeout(1_500);
  const after = await Promise.all(tiles.map((i) => framesOf(page, i)));
  for (const [k, i] of tiles.entries()) expect(after[k]!, `tile ${i} frames advance`).toBeGreaterThan(before[k]! + 10);
}

test('an operator builds a live video wall of ONVIF cameras', async ({ page }) => {
  test.setTimeout(180_000);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['data:', 'blob:'].includes(url.protocol)) return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreignRequests.push(request.url());
  });
  await page.goto('/');
  // Run alone on a fresh store, the first start offers the demo first (after incident-loop it does not).
  const offer = page.getByTestId('demo-offer');
  await expect(page.getByTestId('nav-cameras')).toBeVisible();
  if (await offer.waitFor({ timeout: 3_000 }).then(() => true, () => false)) {
    await offer.getByTestId('demo-decline').click();
    await expect(offer).toBeHidden();
  }
  await page.getByTestId('nav-cameras').click();

  // Register the cameras by ONVIF address; the first one with a wrong password.
  for (const [i, sim] of sims.entries()) {
    await page.getByTestId('camera-add').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('camera-url').fill(`127.0.0.1:${sim.port}`);
    await dialog.getByTestId('camera-username').fill('admin');
    await dialog.getByTestId('camera-password').fill(i === 0 ? 'wrong' : PASSWORD);
    await dialog.getByTestId('camera-add-name').fill(NAMES[i]!);
    await dialog.getByTestId('camera-add-submit').click();
    if (i === 0) {
      await expect(dialog).toContainText('用户名或密码错误');
      await page.screenshot({ path: `${ARTIFACTS}/video-01-add-camera-wrong-password.png` });
      await dialog.getByTestId('camera-password').fill(PASSWORD);
      await dialog.getByTestId('camera-add-submit').click();
    }
    await expect(dialog).toBeHidden();
  }
  const rows = page.getByTestId('camera-row');
  const row = (name: string) => rows.filter({ hasText: name });
  for (const name of NAMES) await expect(row(name)).toBeVisible();
  // The health list: each camera's event subscription answers, so each is online.
  for (const name of NAMES) await expect(row(name).getByTestId('camera-health')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });

  // Arm a camera for the night watch only: a weekly schedule in the camera's settings.
  await row(NAMES[2]!).getByRole('button', { name: '编辑' }).click();
  const edit = page.getByRole('dialog');
  await edit.getByText('按周计划布防').click();
  await expect(edit.getByText('布防日')).toBeVisible();
  await edit.getByLabel('开始（北京时间）').fill('22:00');
  await edit.getByLabel('结束', { exact: true }).fill('06:00');
  await page.screenshot({ path: `${ARTIFACTS}/video-01b-camera-schedule.png` });
  await edit.getByTestId('camera-save').click();
  await expect(edit).toBeHidden();
  await expect(row(NAMES[2]!)).toContainText('布防 22:00–06:00');

  // 4-up: drag the first camera onto tile 0, click the others into the next empty tiles.
  await page.getByTestId('wall-layout').getByText('4', { exact: true }).click();
  await row(NAMES[0]!).dragTo(page.getByTestId('tile-0'));
  for (const name of NAMES.slice(1)) await row(name).click();
  await expectPlaying(page, [0, 1, 2, 3]);
  await expect(page.getByTestId('tile-0')).toContainText(NAMES[0]!);
  await expect(page.getByTestId('tile-0-status')).toContainText('实时');
  await page.screenshot({ path: `${ARTIFACTS}/video-02-wall-4-up.png` });

  // PTZ on the first camera: hold the on-tile arrow, then the keyboard arrow on the selected tile.
  const ptzCalls = () => sims[0]!.calls.filter((c) => c.service === 'ptz_service').map((c) => c.action);
  await page.getByTestId('tile-0').hover();
  await page.getByTestId('tile-0').getByTestId('ptz-right').hover();
  await page.mouse.down();
  await expect.poll(ptzCalls).toEqual(['ContinuousMove']);
  await page.screenshot({ path: `${ARTIFACTS}/video-02b-ptz-controls.png` });
  await page.mouse.up();
  await expect.poll(ptzCalls).toEqual(['ContinuousMove', 'Stop']);
  expect(sims[0]!.calls.find((c) => c.action === 'ContinuousMove')?.body).toMatchObject({ Velocity: { PanTilt: { '@x': '0.5' } } });
  await page.getByTestId('tile-0').click({ position: { x: 40, y: 120 } });
  await expect(page.getByTestId('tile-0')).toHaveClass(/wall-tile--selected/);
  await page.keyboard.down('ArrowLeft');
  await expect.poll(ptzCalls).toEqual(['ContinuousMove', 'Stop', 'ContinuousMove']);
  await page.keyboard.up('ArrowLeft');
  await expect.poll(ptzCalls).toEqual(['ContinuousMove', 'Stop', 'ContinuousMove', 'Stop']);
  await page.getByTestId('tile-0').click({ position: { x: 40, y: 120 } });
  await expect(page.getByTestId('tile-0')).not.toHaveClass(/wall-tile--selected/);

  // 16-up (key 0): every tile filled, each camera four times; sub-streams, one ffmpeg per stream.
  await page.keyboard.press('0');
  await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-size', '16');
  for (let i = 4; i < 16; i++) await row(NAMES[i % 4]!).click();
  for (let i = 0; i < 16; i++) await expect(page.getByTestId(`tile-${i}`)).toHaveAttribute('data-profile', 'sub');
  await expectPlaying(page, [0, 5, 10, 15]);
  await expect.poll(() => relayProcesses().count, { timeout: 10_000 }).toBe(4);
  await page.screenshot({ path: `${ARTIFACTS}/video-03-wall-16-up.png` });

  // Double-click: single view takes the main stream; Esc goes back to 16.
  await page.getByTestId('tile-5').dblclick();
  await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-size', '1');
  await expect(page.getByTestId('tile-5')).toHaveAttribute('data-profile', 'main');
  await expectPlaying(page, [5]);
  await page.screenshot({ path: `${ARTIFACTS}/video-04-single-view-main.png` });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-size', '16');
  await expectPlaying(page, [0, 5]);
  // The main stream's ffmpeg ends a few seconds after its last viewer left.
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(4);

  // The RTSP server goes away: tiles say reconnecting with the attempt and since when.
  await rtsp.stop();
  await expect(page.getByTestId('tile-0-status')).toContainText(/重连中（第 \d+ 次） · 离线自 \d\d:\d\d/, { timeout: 20_000 });
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-state', 'reconnecting');
  await page.screenshot({ path: `${ARTIFACTS}/video-05-reconnecting.png` });

  // It comes back: tiles recover on their own, with no extra ffmpeg and no zombie left behind.
  rtsp = await startRtspServer(RTSP_PORT, ['main=960x540@25', 'sub=480x270@25']);
  await expectPlaying(page, [0, 5, 10, 15]);
  await expect.poll(() => relayProcesses().count, { timeout: 10_000 }).toBe(4);
  expect(relayProcesses().zombies).toBe(0);

  // The wall persists: after a reload it is still 16-up with the same cameras.
  await page.reload();
  await page.getByTestId('nav-cameras').click();
  await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-size', '16');
  await expect(page.getByTestId('tile-15')).toContainText(NAMES[3]!);
  await expectPlaying(page, [3, 12]);

  // A storm of motion events from one camera is one alarm line; one click makes it an incident.
  await expect.poll(() => sims[1]!.calls.some((c) => c.action === 'PullMessages'), { timeout: 10_000 }).toBe(true);
  const alarmRow = page.getByTestId('alarm-row');
  for (let i = 1; i <= 3; i++) {
    sims[1]!.raiseMotion(true);
    await expect(alarmRow).toHaveCount(1);
    if (i > 1) await expect(alarmRow.getByTestId('alarm-times')).toHaveText(`×${i}`);
  }
  await expect(alarmRow).toContainText(NAMES[1]!);
  await expect(alarmRow).toContainText('移动侦测');
  await page.screenshot({ path: `${ARTIFACTS}/video-06-alarm-inbox.png` });
  await alarmRow.getByTestId('alarm-to-incident').click();
  const detail = page.getByTestId('incident-detail');
  await expect(detail).toContainText(`${NAMES[1]} 移动侦测告警`);
  await expect(detail).toContainText('3 次');
  // The camera's frame follows on the timeline a moment later.
  await expect(detail.getByTestId('timeline-snapshot')).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: `${ARTIFACTS}/video-07-alarm-became-incident.png` });
  // The hidden wall pulls no video.
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(0);
  await page.getByTestId('nav-cameras').click();
  await expect(page.getByTestId('alarm-row')).toHaveCount(0);
  await expectPlaying(page, [0]);

  // A snapshot of what a tile shows becomes a new incident, the picture on its timeline.
  const totalBefore = (await page.getByTestId('status-total').textContent())!;
  await page.getByTestId('tile-0').hover();
  await page.getByTestId('tile-0-snapshot').click();
  await expect(detail).toContainText(`${NAMES[0]} 视频截图`);
  // Every window learns of the new incident (the status bar's count moves on).
  await expect(page.getByTestId('status-total')).not.toHaveText(totalBefore);
  const snapshot = detail.getByTestId('timeline-snapshot');
  await expect(snapshot).toBeVisible();
  expect(await snapshot.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([480, 270]);
  await page.screenshot({ path: `${ARTIFACTS}/video-08-snapshot-incident.png` });
  await page.getByTestId('nav-cameras').click();
  await expectPlaying(page, [0]);

  // Leaving the wall's page ends every stream within seconds.
  await page.goto('about:blank');
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(0);

  expect(foreignRequests).toEqual([]);
});
