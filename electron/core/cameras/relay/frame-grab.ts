import { spawn, type ChildProcess } from 'node:child_process';
import { redact, withCredentials, type StreamSource } from './relay';

/** Gives up on a camera that sends no decodable frame in this long. */
const GRAB_TIMEOUT_MS = 10_000;

export function frameGrabArgs(source: StreamSource): string[] {
  const input =
    source.kind === 'test-pattern'
      ? ['-f', 'lavfi', '-i', `testsrc2=size=${source.width}x${source.height}:rate=${source.fps}`]
      : ['-rtsp_transport', 'tcp', '-i', withCredentials(source.url, source.username, source.password)];
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', ...input, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '4', 'pipe:1'];
}

/** One JPEG frame from a live stream (decoding one picture: the only place video is decoded in core). */
export function grabFrame(ffmpegPath: string, source: StreamSource, children: Set<ChildProcess>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpegPath, frameGrabArgs(source), { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    const chunks: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), GRAB_TIMEOUT_MS);
    child.stdout!.on('data', (c: Buffer) => chunks.push(c));
    child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-1000)));
    child.on('error', (error) => {
      clearTimeout(timer);
      children.delete(child);
      reject(error);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(child);
      const data = Buffer.concat(chunks);
      if (code === 0 && data.length > 0) resolve(data);
      else reject(new Error(`frame grab failed (${code}): ${redact(stderr.trim())}`));
    });
  });
}
