/** Starts GStreamer's RTSP server (tests/support/rtsp_server.py) and waits until it listens. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rtsp_server.py');
/** Debian's Python: the `python3` first on PATH may lack the gi bindings. */
const PYTHON = process.env.GI_PYTHON ?? '/usr/bin/python3';

/**
 * The port a test's RTSP server listens on. On a shared machine set `TEST_RTSP_PORT_BASE` (e.g.
 * 18800): each test file then takes base + its slot, so runs of different people never meet.
 * Without it, a port derived from the process id (the old behaviour).
 */
export function testRtspPort(slot: number, fallbackBase: number): number {
  const base = Number(process.env.TEST_RTSP_PORT_BASE);
  return Number.isInteger(base) && base > 0 ? base + slot : fallbackBase + (process.pid % 500) * 4 + slot;
}

export interface RtspServer {
  url(mount: string): string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Spawns the server once and resolves when it listens. */
async function spawnServer(port: number, mounts: string[]): Promise<{ child: ChildProcess; stderr: () => string }> {
  const child: ChildProcess = spawn(PYTHON, [script, '--port', String(port), ...mounts.flatMap((m) => ['--mount', m])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`RTSP server did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`RTSP server exited (${code}): ${stderr}`));
    });
  });
  return { child, stderr: () => stderr };
}

/**
 * GStreamer's RTSP server (1.22–1.26) sometimes aborts in gst_rtsp_media_get_rates when a client
 * plays a shared media that is being torn down (all its viewers just left). That is the test
 * camera failing, not the console: the helper says so and brings it back at once, as a camera
 * reboot would — the console must (and does) reconnect on its own.
 */
export async function startRtspServer(port: number, mounts = ['main=1280x720@25', 'sub=640x360@25']): Promise<RtspServer> {
  let stopping = false;
  let current = await spawnServer(port, mounts);
  const supervise = (server: typeof current) => {
    server.child.once('exit', (code, signal) => {
      if (stopping) return;
      console.error(`RTSP server on ${port} exited by itself (${code ?? signal}), restarting: ${server.stderr().trim().slice(-300)}`);
      setTimeout(() => {
        if (stopping) return;
        spawnServer(port, mounts).then(
          (next) => {
            current = next;
            if (stopping) next.child.kill('SIGKILL');
            else supervise(next);
          },
          (error: unknown) => console.error(`RTSP server on ${port} did not come back: ${String(error)}`),
        );
      }, 200);
    });
  };
  supervise(current);
  return {
    port,
    url: (mount) => `rtsp://127.0.0.1:${port}/${mount}`,
    stop: () =>
      new Promise<void>((resolve) => {
        stopping = true;
        const { child } = current;
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** True while a process with this pid exists (and is not a zombie). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie still answers kill(0); its state letter in /proc is Z.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) Z /.test(stat);
  } catch {
    return true;
  }
}
