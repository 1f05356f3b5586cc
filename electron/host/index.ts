/**
 * The plain-Node host: the same core as the Electron app, behind the WebSocket transport, with the
 * built renderer served from the same origin. Used by the e2e tests and to open the console in a
 * local browser where Electron is not installed.
 */
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openCore } from '../core';
import { startWsServer } from '../core/transport/ws-server';
import { defaultDataDir } from './data-dir';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5174' },
    static: { type: 'string', default: path.join(repoRoot, 'out/renderer') },
    operator: { type: 'string', default: os.userInfo().username },
    demo: { type: 'boolean', default: false },
    ffmpeg: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx electron/host/index.ts [--data-dir DIR] [--port 5174] [--host 127.0.0.1] [--static out/renderer] [--operator NAME] [--demo] [--ffmpeg PATH]`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
if (values.host !== '127.0.0.1' && values.host !== 'localhost' && values.host !== '::1') {
  console.warn(`warning: listening on ${values.host}: anyone who can reach it can operate the console`);
}

const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;

let core;
try {
  core = openCore({ dataDir, host: 'node', operator: values.operator, version, demo: values.demo, demoCity: values.demo, ffmpegPath: values.ffmpeg });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
const server = await startWsServer(core, { host: values.host, port, staticDir: values.static });
console.log(`duty-room console: ${server.url}  (data: ${dataDir})`);

const shutdown = async () => {
  await server.close();
  core.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
