import { execFileSync } from 'node:child_process';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import { loginAs } from './support/login';
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
// E2E_RTSP_PORT keeps runs of several people on one machine apart (as E2E_PORT does for the host).
const RTSP_PORT = Number(process.env.E2E_RTSP_PORT ?? Number(process.env.E2E_PORT ?? 5199) + 3000);
const PASSWORD = 'Haifang#2026';
// Not the demo cameras' names: after incident-loop the store holds the demo (and its cameras).
const NAMES = ['东湾码头', '北堤海滩', '环岛路口', '渡口候船厅'];
/** A camera whose main stream is H.265 (its ONVIF profile says so) and whose sub-stream says H264 but is H.265 too. */
const HEVC_NAME = '灯塔 H.265';
const MOUNTS = ['main=960x540@25', 'sub=480x270@25', 'hevc=640x360@15/h265', 'hevcsub=384x216@15/h265'];

let rtsp: RtspServer;
const sims: OnvifSimulator[] = [];
let hevcSim: OnvifSimulator;
const foreignRequests: string[] = [];

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  rtsp = await startRtspServer(RTSP_PORT, MOUNTS);
  // What the first camera's ONVIF snapshot URI serves: a full-resolution picture of its own.
  const cameraPicture = execFileSync(ffmpegInstaller.path, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=960x540', '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', 'pipe:1']);
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
        // The first camera has a snapshot URI; the others have none (their picture is a frame of the stream).
        snapshotJpeg: i === 0 ? cameraPicture : null,
        // All cameras share the server's two mounts: two encoders on this 2-core machine, not eight.
        profiles: [
          { token: 'main', name: 'Main', width: 960, height: 540, fps: 25, streamUri: rtsp.url('main') },
          { token: 'sub', name: 'Sub', width: 480, height: 270, fps: 25, streamUri: rtsp.url('sub') },
        ],
      }),
    );
  }
});

test.beforeAll(async () => {
  hevcSim = await startOnvifSimulator({
    name: HEVC_NAME,
    serialNumber: 'E2E-265',
    username: 'admin',
    password: PASSWORD,
    auth: 'digest',
    profiles: [
      { token: 'main', name: 'Main', width: 640, height: 360, fps: 15, streamUri: rtsp.url('hevc'), encoding: 'H265' },
      { token: 'sub', name: 'Sub', width: 384, height: 216, fps: 15, streamUri: rtsp.url('hevcsub'), encoding: 'H264' },
    ],
  });
});

test.afterAll(async () => {
  await hevcSim?.close();
  for (const sim of sims) await sim.close();
  await rtsp?.stop();
});

/** The relay's ffmpeg processes reading our RTSP server, and whether any is a zombie. */
function relayProcesses(): { count: number; zombies: number; lines: string[] } {
  const out = execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' });
  const lines = out.split('\n').filter((l) => l.includes('ffmpeg') && l.includes(`:${RTSP_PORT}/`));
  return { count: lines.length, zombies: lines.filter((l) => l.trim().startsWith('Z')).length, lines };
}

/** The relay's ffmpeg reading one mount of the RTSP server, as `ps` shows it. */
function relayFor(mount: string): string[] {
  return relayProcesses().lines.filter((l) => l.includes(`:${RTSP_PORT}/${mount} `));
}

async function openWall(page: Page) {
  await page.goto('/');
  await loginAs(page, 'all');
  await page.getByTestId('nav-cameras').click();
  await expect(page.getByTestId('wall-grid')).toBeVisible();
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
  test.setTimeout(300_000); // 3.3 min on a quiet machine once each page logs in (argon2) and the city link runs beside it
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (['data:', 'blob:'].includes(url.protocol)) return;
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) foreignRequests.push(request.url());
  });
  await page.goto('/');
  await loginAs(page, 'all');
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
  rtsp = await startRtspServer(RTSP_PORT, MOUNTS);
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
  await expect(detail.getByTestId('timeline-attachment')).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: `${ARTIFACTS}/video-07-alarm-became-incident.png` });
  // The hidden wall pulls no video.
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(0);

  // A snapshot of what a tile shows becomes a new incident, the picture on its timeline.
  const alarmIncidentCode = (await detail.getByTestId('incident-code').textContent())!.trim();
  await page.getByTestId('nav-cameras').click();
  await expect(page.getByTestId('alarm-row')).toHaveCount(0);
  await expectPlaying(page, [0]);
  const totalBefore = (await page.getByTestId('status-total').textContent())!;
  await page.getByTestId('tile-0').hover();
  await page.getByTestId('tile-0-snapshot').click();
  const snap = page.getByTestId('snapshot-dialog');
  // The camera's own picture (its ONVIF snapshot URI, 960×540) is offered once it is in; the tile's frame beside it.
  await expect(snap.getByTestId('snapshot-source-note')).toContainText('ONVIF', { timeout: 15_000 });
  expect(await snap.getByTestId('snapshot-preview').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([960, 540]);
  await page.screenshot({ path: `${ARTIFACTS}/video-08a-snapshot-dialog.png` });
  await snap.getByTestId('snapshot-source').getByText('画面截图').click();
  await expect(snap.getByTestId('snapshot-source-note')).toContainText('画面格');
  await snap.getByTestId('snapshot-submit').click();
  await expect(detail).toContainText(`${NAMES[0]} 视频截图`);
  // Every window learns of the new incident (the status bar's count moves on).
  await expect(page.getByTestId('status-total')).not.toHaveText(totalBefore);
  const snapshot = detail.getByTestId('timeline-attachment');
  await expect(snapshot).toBeVisible();
  expect(await snapshot.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([480, 270]);
  await page.screenshot({ path: `${ARTIFACTS}/video-08-snapshot-incident.png` });

  // The camera's picture goes onto the existing alarm incident, found by its code in the picker.
  await page.getByTestId('nav-cameras').click();
  await expectPlaying(page, [0]);
  const totalNow = (await page.getByTestId('status-total').textContent())!;
  await page.getByTestId('tile-0').hover();
  await page.getByTestId('tile-0-snapshot').click();
  await expect(snap.getByTestId('snapshot-source-note')).toContainText('ONVIF', { timeout: 15_000 });
  await snap.getByTestId('snapshot-target').getByText('附加到已有事件').click();
  await expect(snap.getByTestId('snapshot-submit')).toBeDisabled();
  await snap.getByTestId('snapshot-incident').fill(alarmIncidentCode);
  const option = page.getByRole('option', { name: new RegExp(`${alarmIncidentCode} ${NAMES[1]} 移动侦测告警`) });
  await expect(option).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/video-08b-snapshot-pick-incident.png` });
  await option.click();
  await snap.getByTestId('snapshot-submit').click();
  await expect(snap).toBeHidden();
  await expect(detail.getByTestId('incident-code')).toHaveText(alarmIncidentCode);
  // Its timeline now holds the alarm's frame and the camera's 960×540 picture; no incident was made.
  await expect(detail.getByTestId('timeline-attachment')).toHaveCount(2);
  await expect
    .poll(() => detail.getByTestId('timeline-attachment').evaluateAll((imgs: HTMLImageElement[]) => imgs.map((i) => `${i.naturalWidth}x${i.naturalHeight}`)))
    .toContain('960x540');
  await expect(page.getByTestId('status-total')).toHaveText(totalNow);
  await page.screenshot({ path: `${ARTIFACTS}/video-08c-snapshot-on-existing-incident.png` });
  await page.getByTestId('nav-cameras').click();
  await expectPlaying(page, [0]);

  // Leaving the wall's page ends every stream within seconds.
  await page.goto('about:blank');
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(0);

  expect(foreignRequests).toEqual([]);
});

test('an H.265 camera is transcoded to H.264 for this browser, that stream only; the tile says so', async ({ page }) => {
  test.setTimeout(150_000);
  await openWall(page);
  // This Chromium has no H.265 decoder for MSE (only hardware decoding could give it one).
  expect(await page.evaluate(() => MediaSource.isTypeSupported('video/mp4; codecs="hev1.1.6.L93.B0"'))).toBe(false);
  await page.getByTestId('camera-add').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByTestId('camera-url').fill(`127.0.0.1:${hevcSim.port}`);
  await dialog.getByTestId('camera-username').fill('admin');
  await dialog.getByTestId('camera-password').fill(PASSWORD);
  await dialog.getByTestId('camera-add-name').fill(HEVC_NAME);
  await dialog.getByTestId('camera-add-submit').click();
  await expect(dialog).toBeHidden();

  // 4-up, the H.265 camera dragged onto the last tile: its main stream's ONVIF profile says H.265,
  // so the tile asks for H.264 straight away.
  await page.keyboard.press('4');
  await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-size', '4');
  await page.getByTestId('camera-row').filter({ hasText: HEVC_NAME }).dragTo(page.getByTestId('tile-3'));
  const tile = page.getByTestId('tile-3');
  await expect(tile).toContainText(HEVC_NAME);
  await expect(tile).toHaveAttribute('data-profile', 'main');
  await expect(tile).toHaveAttribute('data-transcoded', 'true');
  await expect(page.getByTestId('tile-3-transcoded')).toHaveText('转码 H.265→H.264');
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-transcoded', 'false');
  await expectPlaying(page, [0, 1, 2, 3]);
  await page.screenshot({ path: `${ARTIFACTS}/video-09-h265-transcoded-4-up.png` });
  // Only that stream is transcoded; the H.264 cameras stay -c copy.
  await expect.poll(() => relayFor('hevc').length, { timeout: 10_000 }).toBe(1);
  expect(relayFor('hevc')[0]).toContain('-c:v libx264 -preset veryfast -tune zerolatency');
  const h264 = [...relayFor('main'), ...relayFor('sub')];
  expect(h264.length).toBeGreaterThan(0);
  for (const line of h264) {
    expect(line).toContain('-c:v copy');
    expect(line).not.toContain('libx264');
  }

  // 16-up: the sub-stream says H264 but sends H.265. MSE refuses its init segment, and the tile asks again for H.264.
  await page.keyboard.press('0');
  await expect(tile).toHaveAttribute('data-profile', 'sub');
  await expect(tile).toHaveAttribute('data-transcoded', 'true', { timeout: 15_000 });
  await expectPlaying(page, [3]);
  await expect.poll(() => relayFor('hevcsub').map((l) => l.includes('libx264')), { timeout: 15_000 }).toEqual([true]);
  await page.screenshot({ path: `${ARTIFACTS}/video-10-h265-transcoded-16-up.png` });
});

test('custom walls: 1+7 and rows × columns up to 5×5, kept per window with their cameras; the stream follows the tile size', async ({ page }) => {
  test.setTimeout(120_000);
  await openWall(page);
  const grid = page.getByTestId('wall-grid');
  await page.getByTestId('wall-layout').getByText('1+7', { exact: true }).click();
  await expect(grid).toHaveAttribute('data-layout', '1+7');
  await expect(grid).toHaveAttribute('data-size', '8');
  // The large tile takes the main stream, the small ones the sub-stream.
  await expect(page.getByTestId('tile-0')).toHaveAttribute('data-profile', 'main');
  await expect(page.getByTestId('tile-1')).toHaveAttribute('data-profile', 'sub');
  const big = (await page.getByTestId('tile-0').boundingBox())!;
  const small = (await page.getByTestId('tile-1').boundingBox())!;
  expect(big.width).toBeGreaterThan(small.width * 2.5);
  await expectPlaying(page, [0, 1, 7]);
  await page.screenshot({ path: `${ARTIFACTS}/video-11-wall-1+7.png` });

  // Rows × columns from the chooser: 2 × 3.
  await page.getByTestId('wall-grid-chooser').click();
  await page.getByTestId('grid-cell-2-3').hover();
  await expect(page.getByText('2 行 × 3 列')).toBeVisible();
  await page.screenshot({ path: `${ARTIFACTS}/video-12a-grid-chooser.png` });
  await page.getByTestId('grid-cell-2-3').click();
  await expect(grid).toHaveAttribute('data-layout', '2x3');
  await expect(grid).toHaveAttribute('data-size', '6');
  await expect(page.getByTestId('wall-layout')).toContainText('2×3');
  await expect(page.getByTestId('tile-5')).toContainText(NAMES[1]!);
  await expectPlaying(page, [0, 5]);
  await page.screenshot({ path: `${ARTIFACTS}/video-12-wall-2x3.png` });

  // Kept for this window: after a reload it is 2 × 3 with the same cameras; double-click and Esc still work.
  await page.reload();
  await page.getByTestId('nav-cameras').click();
  await expect(grid).toHaveAttribute('data-layout', '2x3');
  await expect(page.getByTestId('tile-5')).toContainText(NAMES[1]!);
  await page.getByTestId('tile-4').dblclick();
  await expect(grid).toHaveAttribute('data-size', '1');
  await expect(page.getByTestId('tile-4')).toHaveAttribute('data-profile', 'main');
  await page.keyboard.press('Escape');
  await expect(grid).toHaveAttribute('data-layout', '2x3');

  // 5 × 5 is the largest; going back to 4 keeps the cameras of the tiles beyond it.
  await page.getByTestId('wall-grid-chooser').click();
  await page.getByTestId('grid-cell-5-5').click();
  await expect(grid).toHaveAttribute('data-size', '25');
  await expect(page.getByTestId('tile-15')).toContainText(NAMES[3]!);
  await expect(page.getByTestId('grid-cell-5-5')).toBeHidden();
  await page.keyboard.press('4');
  await expect(grid).toHaveAttribute('data-layout', '4');
  await page.goto('about:blank');
  await expect.poll(() => relayProcesses().count, { timeout: 15_000 }).toBe(0);
});
