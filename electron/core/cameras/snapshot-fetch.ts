/**
 * The camera's own picture: an HTTP GET of its ONVIF snapshot URI (GetSnapshotUri), authenticated
 * the way cameras ask — HTTP digest (most Hikvision/Dahua), or basic — with the camera's
 * credentials. Full resolution, and no video decoding on our side.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

const TIMEOUT_MS = 5_000;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function get(url: URL, maxBytes: number, authorization?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? https : http).get(
      url,
      // Cameras use self-signed certificates; the credentials go only to the address the operator registered.
      { headers: authorization ? { authorization } : {}, timeout: TIMEOUT_MS, rejectUnauthorized: false },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return void res.destroy(new Error('snapshot too large'));
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('snapshot timed out')));
    request.on('error', reject);
  });
}

function digestAuthorization(challenge: string, url: URL, username: string, password: string): string {
  const params: Record<string, string> = {};
  for (const match of challenge.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) params[match[1]!.toLowerCase()] = match[2] ?? match[3] ?? '';
  const md5 = (s: string) => crypto.createHash('md5').update(s, 'utf8').digest('hex');
  const uri = url.pathname + url.search;
  const realm = params.realm ?? '';
  const nonce = params.nonce ?? '';
  const cnonce = crypto.randomBytes(8).toString('hex');
  const nc = '00000001';
  const qop = (params.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : '';
  let ha1 = md5(`${username}:${realm}:${password}`);
  if (/md5-sess/i.test(params.algorithm ?? '')) ha1 = md5(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = md5(`GET:${uri}`);
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const quote = (s: string) => s.replace(/["\\]/g, '\\$&');
  return (
    `Digest username="${quote(username)}", realm="${quote(realm)}", nonce="${quote(nonce)}", uri="${quote(uri)}", response="${response}"` +
    (params.algorithm ? `, algorithm=${params.algorithm}` : '') +
    (params.opaque !== undefined ? `, opaque="${quote(params.opaque)}"` : '') +
    (qop ? `, qop=${qop}, nc=${nc}, cnonce="${cnonce}"` : '')
  );
}

/**
 * The camera's snapshot URI was not asked, so its credentials did not leave: it points at another
 * host than the camera's registered one, or it wants Basic over plain HTTP and the camera's setting
 * does not allow that.
 */
export class SnapshotRefused extends Error {
  constructor(
    readonly reason: 'cameras.snapshot_foreign_host' | 'cameras.snapshot_basic_over_http',
    readonly params: Record<string, string>,
  ) {
    super(`snapshot refused: ${reason} ${JSON.stringify(params)}`);
    this.name = 'SnapshotRefused';
  }
}

export interface SnapshotOptions {
  username: string;
  password: string;
  maxBytes: number;
  /** The host of the camera's registered ONVIF address: the only one its credentials go to. */
  cameraHost: string;
  /** Basic auth sends the password readable; over plain HTTP only when the camera's setting says so. */
  allowBasicOverHttp: boolean;
}

const sameHost = (a: string, b: string) => a.replace(/^\[|\]$/g, '').toLowerCase() === b.replace(/^\[|\]$/g, '').toLowerCase();

/** The picture at a camera's snapshot URI; rejects on any failure (the caller falls back to a frame grab). */
export async function fetchSnapshot(uri: string, options: SnapshotOptions): Promise<Buffer> {
  const { username, password, maxBytes } = options;
  const url = new URL(uri);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`snapshot URI is not http(s): ${url.protocol}`);
  url.username = '';
  url.password = '';
  // Checked before any request: not even the unauthenticated GET goes to a host we did not register.
  if (!sameHost(url.hostname, options.cameraHost)) throw new SnapshotRefused('cameras.snapshot_foreign_host', { host: url.hostname, cameraHost: options.cameraHost });
  let reply = await get(url, maxBytes);
  if (reply.status === 401 && username) {
    const challenges = [reply.headers['www-authenticate'] ?? []].flat();
    const digest = challenges.find((c) => /^Digest/i.test(c));
    if (!digest && url.protocol === 'http:' && !options.allowBasicOverHttp) throw new SnapshotRefused('cameras.snapshot_basic_over_http', { host: url.hostname });
    const authorization = digest
      ? digestAuthorization(digest, url, username, password)
      : `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
    reply = await get(url, maxBytes, authorization);
  }
  if (reply.status !== 200) throw new Error(`snapshot URI answered ${reply.status}`);
  return reply.body;
}
