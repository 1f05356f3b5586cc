/**
 * The plain-Node host: the same core as the Electron app, behind the WebSocket transport, with the
 * built renderer served from the same origin. Used by the e2e tests and to open the console in a
 * local browser where Electron is not installed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { openCore } from '../core';
import { startWsServer } from '../core/transport/ws-server';
import { isLoopbackBind } from '../core/net';
import { defaultDataDir } from './data-dir';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    'backup-dir': { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '5174' },
    static: { type: 'string', default: path.join(repoRoot, 'out/renderer') },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'idle-lock-minutes': { type: 'string', default: '10' },
    demo: { type: 'boolean', default: false },
    ffmpeg: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx electron/host/index.ts [--data-dir DIR] [--backup-dir DIR] [--port 5174] [--host 127.0.0.1] [--static out/renderer] [--demo] [--ffmpeg PATH] [--idle-lock-minutes 10] [--tls-cert FILE --tls-key FILE]`);
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a number from 0 to 65535, not "${values.port}"`);
  process.exit(2);
}
const idleLockMinutes = Number(values['idle-lock-minutes']);
if (!Number.isInteger(idleLockMinutes) || idleLockMinutes < 1 || idleLockMinutes > 240) {
  console.error(`--idle-lock-minutes must be a whole number from 1 to 240, not "${values['idle-lock-minutes']}"`);
  process.exit(2);
}
if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
  console.error('--tls-cert and --tls-key go together');
  process.exit(2);
}
const tls = values['tls-cert'] && values['tls-key'] ? { cert: fs.readFileSync(values['tls-cert']), key: fs.readFileSync(values['tls-key']) } : undefined;
if (!isLoopbackBind(values.host) && !tls) {
  console.error(`--host ${values.host} reaches beyond this machine: it needs --tls-cert and --tls-key (logins would cross the network in clear)`);
  process.exit(2);
}

const dataDir = path.resolve(values['data-dir'] ?? defaultDataDir());
const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;

let core;
try {
  core = openCore({ dataDir, host: 'node', version, demo: values.demo, demoCity: values.demo, ffmpegPath: values.ffmpeg, idleLockMinutes, backupFolder: values['backup-dir'] ? path.resolve(values['backup-dir']) : undefined });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
// Local tools (no browser, so no Origin) connect with this token; it changes at every start.
const toolToken = crypto.randomBytes(32).toString('base64url');
fs.writeFileSync(path.join(dataDir, 'host-token'), toolToken + '\n', { mode: 0o600 });
const server = await startWsServer(core, { host: values.host, port, staticDir: values.static, toolToken, tls });
console.log(`duty-room console: ${server.url}  (data: ${dataDir})`);

const shutdown = async () => {
  await server.close();
  core.close();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
