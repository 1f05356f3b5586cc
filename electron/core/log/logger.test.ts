import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, logFiles } from './logger';
import { redactText } from './redact';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-log-'));
  dirs.push(dir);
  return dir;
}
const read = (dir: string) => logFiles(dir).map((f) => fs.readFileSync(f, 'utf8')).join('');

describe('the logger', () => {
  it('writes JSON lines with levels into <dataDir>/logs, below the level nothing', () => {
    const dir = tempDir();
    const log = createLogger({ dataDir: dir, level: 'info', echo: null });
    log.debug('not written');
    log.info('core opened', { schema: 7 });
    log.child({ domain: 'cameras' }).warn('camera offline', { camera: 'wharf' });
    const lines = read(dir).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'core opened', schema: 7 });
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'camera offline', domain: 'cameras', camera: 'wharf' });
    expect(typeof lines[0].time).toBe('string');
  });

  it('never writes a camera URL’s password or a token, in the message, in fields or in an error', () => {
    const dir = tempDir();
    const echoed: string[] = [];
    const log = createLogger({ dataDir: dir, level: 'debug', echo: 'debug', echoTo: { write: (t: string) => echoed.push(t) } });
    const url = 'rtsp://admin:Gu1shan-Secret@192.168.1.64:554/Streaming/Channels/101';
    const token = '9f1c2b7a6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e';
    log.info(`opening ${url}`);
    log.warn('video endpoint', { url: `ws://127.0.0.1:5300/video?camera=x&token=${token}`, camera: { url, password: 'Gu1shan-Secret' } });
    log.error('relay failed', { err: new Error(`ffmpeg: ${url}: 401 Unauthorized; Authorization: Bearer ${token}`) });
    log.debug('login', { token, accessToken: token });
    const written = read(dir) + echoed.join('');
    expect(written).not.toContain('Gu1shan-Secret');
    expect(written).not.toContain(token);
    // What is left still says what happened.
    expect(written).toContain('rtsp://admin:***@192.168.1.64:554/Streaming/Channels/101');
    expect(written).toContain('relay failed');
  });

  it('masks a co-signer’s password and the link’s sealed secrets by field name; a closed logger drops lines', () => {
    const dir = tempDir();
    const log = createLogger({ dataDir: dir, level: 'info', echo: null });
    log.warn('co-sign refused', { cosign: { staffNo: 'ld01', password: 'Cosign-Pa55' }, config: { username: 'gs', passwordSealed: 'c2VhbGVk', keySealed: 'a2V5' } });
    log.close();
    expect(() => log.error('after close')).not.toThrow();
    const [line] = read(dir).trim().split('\n').map((l) => JSON.parse(l));
    expect(line).toMatchObject({ cosign: { staffNo: 'ld01', password: '***' }, config: { username: 'gs', passwordSealed: '***', keySealed: '***' } });
    expect(read(dir)).not.toContain('after close');
  });

  it('rotates by size and keeps a bounded number of files', () => {
    const dir = tempDir();
    const log = createLogger({ dataDir: dir, level: 'info', echo: null, maxBytes: 2000, files: 3 });
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(50)}`);
    const files = logFiles(dir).map((f) => path.basename(f));
    expect(files).toEqual(['console.log', 'console.1.log', 'console.2.log']);
    for (const f of logFiles(dir)) expect(fs.statSync(f).size).toBeLessThanOrEqual(2000);
    expect(fs.readFileSync(logFiles(dir)[0]!, 'utf8')).toContain('line 199');
  });

  it('scrubs text: userinfo, query tokens, bearer, JSON secrets', () => {
    expect(redactText('http://u:p@h/x?a=1&token=abc&b=2')).toBe('http://u:***@h/x?a=1&token=***&b=2');
    expect(redactText('Authorization: Basic dXNlcjpwYXNz')).toBe('Authorization: Basic ***');
    expect(redactText('{"password":"x\\"y","name":"n"}')).toBe('{"password":"***","name":"n"}');
  });
});
