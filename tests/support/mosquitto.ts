/**
 * A real Mosquitto for the city-link tests and the bench: Debian's /usr/sbin/mosquitto on a free
 * loopback port, with a password file (mosquitto_passwd) and TLS from a CA generated here with
 * openssl. Nothing is shared with the system's broker (own config, own persistence directory).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export interface Pki {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  /** A client certificate for a town (CN = the town code), signed by the same CA. */
  clientCert: string;
  clientKey: string;
  /** Another CA that signed nothing of this broker: a town trusting it must refuse the server. */
  otherCaCert: string;
}

const openssl = (cwd: string, ...args: string[]) => execFileSync('openssl', args, { cwd, stdio: 'pipe' });

/** A CA, a server certificate for 127.0.0.1/localhost, a client certificate, and an unrelated CA. */
export function generatePki(dir: string, town = 'GS'): Pki {
  fs.mkdirSync(dir, { recursive: true });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Test City CA');
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=Some Other CA');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(dir, 'req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(dir, 'req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${town}`);
  openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2', '-extfile', 'client.ext');
  const read = (f: string) => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    dir,
    caCert: read('ca.crt'),
    serverCert: path.join(dir, 'server.crt'),
    serverKey: path.join(dir, 'server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    otherCaCert: read('other-ca.crt'),
  };
}

/**
 * A client certificate for one town (CN = its code), signed by the test CA — or by the unrelated CA,
 * whose certificates the broker must refuse. Each town of a city gets its own.
 */
export function issueClientCert(pki: Pki, commonName: string, signer: 'ca' | 'other-ca' = 'ca'): { cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(pki.dir, `client-${commonName}-`));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(dir, 'req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', `/CN=${commonName}`);
  const ca = path.join(pki.dir, `${signer}.crt`);
  const caKey = path.join(pki.dir, `${signer}.key`);
  openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', 'client.crt', '-days', '2', '-extfile', 'client.ext');
  return { cert: fs.readFileSync(path.join(dir, 'client.crt'), 'utf8'), key: fs.readFileSync(path.join(dir, 'client.key'), 'utf8') };
}

/** A port nobody listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface MosquittoOptions {
  /** user → password; none: anonymous. */
  users?: Record<string, string>;
  /** TLS with this PKI's server certificate; clients must trust its CA. */
  pki?: Pki;
  /** With TLS: also accept a client certificate instead of a password (its CN is the user name). */
  clientCertificates?: boolean;
  /**
   * With TLS: every client must present a certificate signed by the PKI's CA, and is who its
   * certificate says (CN = user name; no passwords): `require_certificate true`.
   */
  requireCertificate?: boolean;
  port?: number;
}

export interface RunningMosquitto {
  port: number;
  url: string;
  /** Stops the broker (SIGTERM, waits). Persistent sessions survive in its persistence file. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  log(): string;
  dir: string;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<RunningMosquitto> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duty-mosquitto-'));
  const port = options.port ?? (await freePort());
  const lines = [
    'per_listener_settings false',
    `persistence true`,
    `persistence_location ${dir}/`,
    'autosave_interval 1',
    // Unlimited queue per offline session: a town may be offline for a day.
    'max_queued_messages 0',
    'message_size_limit 0',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
  ];
  // Running as root, Mosquitto drops to the `mosquitto` user, which cannot read the test's files.
  if (process.getuid?.() === 0) lines.push('user root');
  if (options.requireCertificate) {
    if (!options.pki) throw new Error('requireCertificate needs a pki');
    lines.push('allow_anonymous false');
  } else if (options.users) {
    const passwd = path.join(dir, 'passwd');
    fs.writeFileSync(passwd, '');
    for (const [user, password] of Object.entries(options.users)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password], { stdio: 'pipe' });
    lines.push('allow_anonymous false', `password_file ${passwd}`);
  } else {
    lines.push('allow_anonymous true');
  }
  lines.push(`listener ${port} 127.0.0.1`);
  if (options.pki) {
    lines.push(`cafile ${path.join(options.pki.dir, 'ca.crt')}`, `certfile ${options.pki.serverCert}`, `keyfile ${options.pki.serverKey}`);
    if (options.requireCertificate) lines.push('require_certificate true', 'use_identity_as_username true');
    else if (options.clientCertificates) lines.push('require_certificate false', 'use_identity_as_username false');
  }
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, lines.join('\n') + '\n');

  let child: ChildProcess | null = null;
  let output = '';
  const start = async () => {
    child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`mosquitto exited (${child.exitCode}): ${output}`);
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (up) return;
      if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return { port, url: `${options.pki ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`, stop, start, log: () => output, dir };
}

export async function waitFor<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
