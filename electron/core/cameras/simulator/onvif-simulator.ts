/**
 * A simulated ONVIF camera for the tests and the demo: device, media, PTZ and events services over
 * SOAP 1.2, authenticated by WS-UsernameToken (PasswordDigest) and/or HTTP digest, with a camera
 * clock that may be off from ours, plus WS-Discovery answering directed probes.
 *
 * It is written from the ONVIF Core/Media/PTZ/Events specifications, not from any client library,
 * so a test that drives it with two independent clients shows it speaks ONVIF rather than the
 * dialect of one library.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

export interface SimulatedProfile {
  token: string;
  name: string;
  width: number;
  height: number;
  fps: number;
  /** What GetStreamUri answers: an rtsp:// URL (tests) or a `testsrc:` URL (demo, no RTSP server). */
  streamUri: string;
  /** The encoder configuration's Encoding (H264 unless said; H265 as Media2 cameras report it). */
  encoding?: string;
}

export interface SimulatedCameraOptions {
  name: string;
  manufacturer?: string;
  model?: string;
  serialNumber?: string;
  username: string;
  password: string;
  /** Which authentication the camera insists on; Hikvision/Dahua often only accept digest. */
  auth?: 'ws-security' | 'digest' | 'either';
  /** Camera clock minus our clock, ms: a drifted camera refuses a naïvely signed request. */
  clockOffsetMs?: number;
  profiles: SimulatedProfile[];
  ptz?: boolean;
  host?: string;
  port?: number;
  /** UDP port for directed WS-Discovery probes; 0 picks one; undefined: no discovery. */
  discoveryPort?: number;
  /**
   * What the ONVIF snapshot URI serves (digest-protected, as on real cameras); a 1×1 grey JPEG by
   * default; null: the camera has no snapshot URI (GetSnapshotUri faults, as Profile S allows).
   */
  snapshotJpeg?: Buffer | null;
  /**
   * false: a camera without ONVIF events (many cheap cameras and NVR channels): no Events service
   * in GetCapabilities/GetServices, and its events address answers 404.
   */
  events?: boolean;
}

export interface RecordedCall {
  service: string;
  action: string;
  /** Parsed body of the action element. */
  body: Record<string, unknown>;
  at: number;
}

export interface OnvifSimulator {
  readonly xaddr: string;
  readonly port: number;
  readonly discoveryPort: number | undefined;
  readonly calls: RecordedCall[];
  /** Queues an event on every pull-point subscription (motion on/off). */
  raiseMotion(isMotion: boolean): void;
  close(): Promise<void>;
}

const WSSE_WINDOW_MS = 5_000;
const REALM = 'Simulated ONVIF Camera';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

const escapeXml = (s: string) => s.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);

const NS =
  'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tt="http://www.onvif.org/ver10/schema" ' +
  'xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" ' +
  'xmlns:tptz="http://www.onvif.org/ver20/ptz/wsdl" xmlns:tev="http://www.onvif.org/ver10/events/wsdl" ' +
  'xmlns:wsnt="http://docs.oasis-open.org/wsn/b-2" xmlns:wsa="http://www.w3.org/2005/08/addressing" ' +
  'xmlns:tns1="http://www.onvif.org/ver10/topics"';

const envelope = (body: string, header = '') => `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${NS}>${header ? `<s:Header>${header}</s:Header>` : ''}<s:Body>${body}</s:Body></s:Envelope>`;

const fault = (code: string, subcode: string, reason: string) =>
  envelope(
    `<s:Fault><s:Code><s:Value>s:${code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en">${escapeXml(reason)}</s:Text></s:Reason></s:Fault>`,
  );

const dateTimeXml = (date: Date) =>
  `<tt:Time><tt:Hour>${date.getUTCHours()}</tt:Hour><tt:Minute>${date.getUTCMinutes()}</tt:Minute><tt:Second>${date.getUTCSeconds()}</tt:Second></tt:Time>` +
  `<tt:Date><tt:Year>${date.getUTCFullYear()}</tt:Year><tt:Month>${date.getUTCMonth() + 1}</tt:Month><tt:Day>${date.getUTCDate()}</tt:Day></tt:Date>`;

/** `PT5S`, `PT1M`, `PT0.5S` → ms. */
export function parseIsoDuration(value: string | undefined, fallbackMs: number): number {
  const match = /^PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(value?.trim() ?? '');
  if (!match) return fallbackMs;
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');

function parseDigestHeader(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of header.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) out[match[1]!] = match[2] ?? match[3] ?? '';
  return out;
}

interface PendingPull {
  resolve: () => void;
}
interface Subscription {
  id: number;
  terminationAt: number;
  queue: string[];
  waiting: PendingPull | null;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' && v && '#text' in v ? String((v as Json)['#text']) : '');

export async function startOnvifSimulator(options: SimulatedCameraOptions): Promise<OnvifSimulator> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? 'either';
  const calls: RecordedCall[] = [];
  const cameraNow = () => new Date(Date.now() + (options.clockOffsetMs ?? 0));
  const issuedNonces = new Set<string>();
  const subscriptions = new Map<number, Subscription>();
  let nextSubscription = 1;
  const presets = new Map<string, { name: string; pan: number; tilt: number; zoom: number }>([
    ['1', { name: 'Pier', pan: 0.2, tilt: 0, zoom: 0 }],
    ['2', { name: 'Beach', pan: -0.4, tilt: 0.1, zoom: 0.3 }],
  ]);
  let nextPreset = 3;
  const position = { pan: 0, tilt: 0, zoom: 0 };
  let base = '';
  const profiles = options.profiles;

  const wsseValid = (header: Json): boolean => {
    const token = obj(obj(obj(header).Security).UsernameToken);
    const username = text(token.Username);
    const password = text(token.Password);
    const nonce = text(token.Nonce);
    const created = text(token.Created);
    if (!username || !password || !created) return false;
    const createdAt = Date.parse(created);
    if (!Number.isFinite(createdAt) || Math.abs(createdAt - cameraNow().getTime()) > WSSE_WINDOW_MS) return false;
    const expected = crypto
      .createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(options.password, 'utf8')]))
      .digest('base64');
    return username === options.username && password === expected;
  };

  const digestValid = (header: string | undefined, uri: string, method = 'POST'): boolean => {
    if (!header?.startsWith('Digest ')) return false;
    const p = parseDigestHeader(header);
    if (p.username !== options.username || p.realm !== REALM || !p.nonce || !issuedNonces.has(p.nonce)) return false;
    const ha1 = md5(`${options.username}:${REALM}:${options.password}`);
    const ha2 = md5(`${method}:${p.uri ?? uri}`);
    const expected = p.qop ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response;
  };

  const profileXml = (p: SimulatedProfile) =>
    `<trt:Profiles token="${p.token}" fixed="true"><tt:Name>${escapeXml(p.name)}</tt:Name>` +
    `<tt:VideoSourceConfiguration token="vsc"><tt:Name>vsc</tt:Name><tt:UseCount>${profiles.length}</tt:UseCount><tt:SourceToken>vs0</tt:SourceToken><tt:Bounds x="0" y="0" width="${profiles[0]!.width}" height="${profiles[0]!.height}"/></tt:VideoSourceConfiguration>` +
    `<tt:VideoEncoderConfiguration token="vec-${p.token}"><tt:Name>${escapeXml(p.name)}</tt:Name><tt:UseCount>1</tt:UseCount><tt:Encoding>${escapeXml(p.encoding ?? 'H264')}</tt:Encoding>` +
    `<tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>` +
    `<tt:RateControl><tt:FrameRateLimit>${p.fps}</tt:FrameRateLimit><tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>2048</tt:BitrateLimit></tt:RateControl>` +
    ((p.encoding ?? 'H264') === 'H264' ? `<tt:H264><tt:GovLength>${p.fps}</tt:GovLength><tt:H264Profile>Main</tt:H264Profile></tt:H264>` : '') +
    `<tt:SessionTimeout>PT60S</tt:SessionTimeout></tt:VideoEncoderConfiguration>` +
    (options.ptz
      ? `<tt:PTZConfiguration token="ptz0"><tt:Name>ptz</tt:Name><tt:UseCount>${profiles.length}</tt:UseCount><tt:NodeToken>node0</tt:NodeToken>` +
        `<tt:DefaultContinuousPanTiltVelocitySpace>http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace</tt:DefaultContinuousPanTiltVelocitySpace>` +
        `<tt:DefaultContinuousZoomVelocitySpace>http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace</tt:DefaultContinuousZoomVelocitySpace>` +
        `<tt:DefaultPTZTimeout>PT5S</tt:DefaultPTZTimeout></tt:PTZConfiguration>`
      : '') +
    `</trt:Profiles>`;

  const eventXml = (isMotion: boolean) =>
    `<wsnt:NotificationMessage><wsnt:Topic Dialect="http://www.onvif.org/ver10/tev/topicExpression/ConcreteSet">tns1:RuleEngine/CellMotionDetector/Motion</wsnt:Topic>` +
    `<wsnt:Message><tt:Message UtcTime="${cameraNow().toISOString()}" PropertyOperation="Changed"><tt:Source><tt:SimpleItem Name="VideoSourceConfigurationToken" Value="vsc"/><tt:SimpleItem Name="Rule" Value="MyMotionDetectorRule"/></tt:Source>` +
    `<tt:Data><tt:SimpleItem Name="IsMotion" Value="${isMotion}"/></tt:Data></tt:Message></wsnt:Message></wsnt:NotificationMessage>`;

  const profileByToken = (token: string) => profiles.find((p) => p.token === token);

  /** Answers one authenticated action; returns the SOAP body or throws a fault string. */
  const answer = async (service: string, action: string, body: Json): Promise<string> => {
    switch (action) {
      case 'GetDeviceInformation':
        return `<tds:GetDeviceInformationResponse><tds:Manufacturer>${escapeXml(options.manufacturer ?? 'Duty Console')}</tds:Manufacturer><tds:Model>${escapeXml(options.model ?? 'SimCam-1')}</tds:Model><tds:FirmwareVersion>1.0.0</tds:FirmwareVersion><tds:SerialNumber>${escapeXml(options.serialNumber ?? 'SIM0001')}</tds:SerialNumber><tds:HardwareId>sim</tds:HardwareId></tds:GetDeviceInformationResponse>`;
      case 'GetCapabilities':
        return (
          `<tds:GetCapabilitiesResponse><tds:Capabilities>` +
          `<tt:Device><tt:XAddr>${base}/onvif/device_service</tt:XAddr></tt:Device>` +
          (options.events === false
            ? ''
            : `<tt:Events><tt:XAddr>${base}/onvif/events_service</tt:XAddr><tt:WSSubscriptionPolicySupport>false</tt:WSSubscriptionPolicySupport><tt:WSPullPointSupport>true</tt:WSPullPointSupport><tt:WSPausableSubscriptionManagerInterfaceSupport>false</tt:WSPausableSubscriptionManagerInterfaceSupport></tt:Events>`) +
          `<tt:Media><tt:XAddr>${base}/onvif/media_service</tt:XAddr><tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities></tt:Media>` +
          (options.ptz ? `<tt:PTZ><tt:XAddr>${base}/onvif/ptz_service</tt:XAddr></tt:PTZ>` : '') +
          `</tds:Capabilities></tds:GetCapabilitiesResponse>`
        );
      case 'GetServices': {
        const svc = (ns: string, path: string) =>
          `<tds:Service><tds:Namespace>${ns}</tds:Namespace><tds:XAddr>${base}/onvif/${path}</tds:XAddr><tds:Version><tt:Major>2</tt:Major><tt:Minor>60</tt:Minor></tds:Version></tds:Service>`;
        return (
          `<tds:GetServicesResponse>` +
          svc('http://www.onvif.org/ver10/device/wsdl', 'device_service') +
          svc('http://www.onvif.org/ver10/media/wsdl', 'media_service') +
          (options.events === false ? '' : svc('http://www.onvif.org/ver10/events/wsdl', 'events_service')) +
          (options.ptz ? svc('http://www.onvif.org/ver20/ptz/wsdl', 'ptz_service') : '') +
          `</tds:GetServicesResponse>`
        );
      }
      case 'GetScopes':
        return `<tds:GetScopesResponse><tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>onvif://www.onvif.org/name/${encodeURIComponent(options.name)}</tt:ScopeItem></tds:Scopes></tds:GetScopesResponse>`;
      case 'GetProfiles':
        return `<trt:GetProfilesResponse>${profiles.map(profileXml).join('')}</trt:GetProfilesResponse>`;
      case 'GetProfile': {
        const p = profileByToken(text(body.ProfileToken));
        if (!p) throw fault('Sender', 'ter:InvalidArgVal', 'no such profile');
        return `<trt:GetProfileResponse>${profileXml(p).replace(/trt:Profiles/g, 'trt:Profile')}</trt:GetProfileResponse>`;
      }
      case 'GetVideoSources': {
        const p = profiles[0]!;
        return `<trt:GetVideoSourcesResponse><trt:VideoSources token="vs0"><tt:Framerate>${p.fps}</tt:Framerate><tt:Resolution><tt:Width>${p.width}</tt:Width><tt:Height>${p.height}</tt:Height></tt:Resolution></trt:VideoSources></trt:GetVideoSourcesResponse>`;
      }
      case 'GetStreamUri': {
        const p = profileByToken(text(body.ProfileToken));
        if (!p) throw fault('Sender', 'ter:InvalidArgVal', 'no such profile');
        return `<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>${escapeXml(p.streamUri)}</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetStreamUriResponse>`;
      }
      case 'GetSnapshotUri': {
        const p = profileByToken(text(body.ProfileToken));
        if (!p) throw fault('Sender', 'ter:InvalidArgVal', 'no such profile');
        if (options.snapshotJpeg === null) throw fault('Receiver', 'ter:ActionNotSupported', 'no snapshot');
        return `<trt:GetSnapshotUriResponse><trt:MediaUri><tt:Uri>${base}/snapshot/${p.token}.jpg</tt:Uri><tt:InvalidAfterConnect>false</tt:InvalidAfterConnect><tt:InvalidAfterReboot>false</tt:InvalidAfterReboot><tt:Timeout>PT0S</tt:Timeout></trt:MediaUri></trt:GetSnapshotUriResponse>`;
      }
      case 'GetNodes':
        return `<tptz:GetNodesResponse><tptz:PTZNode token="node0" FixedHomePosition="false"><tt:Name>node0</tt:Name><tt:MaximumNumberOfPresets>128</tt:MaximumNumberOfPresets><tt:HomeSupported>true</tt:HomeSupported></tptz:PTZNode></tptz:GetNodesResponse>`;
      case 'ContinuousMove':
        return `<tptz:ContinuousMoveResponse/>`;
      case 'Stop':
        return `<tptz:StopResponse/>`;
      case 'GetStatus':
        return `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position><tt:PanTilt x="${position.pan}" y="${position.tilt}"/><tt:Zoom x="${position.zoom}"/></tt:Position><tt:UtcTime>${cameraNow().toISOString()}</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`;
      case 'GetPresets':
        return `<tptz:GetPresetsResponse>${[...presets]
          .map(([token, p]) => `<tptz:Preset token="${token}"><tt:Name>${escapeXml(p.name)}</tt:Name><tt:PTZPosition><tt:PanTilt x="${p.pan}" y="${p.tilt}"/><tt:Zoom x="${p.zoom}"/></tt:PTZPosition></tptz:Preset>`)
          .join('')}</tptz:GetPresetsResponse>`;
      case 'GotoPreset': {
        const preset = presets.get(text(body.PresetToken));
        if (!preset) throw fault('Sender', 'ter:InvalidArgVal', 'no such preset');
        Object.assign(position, { pan: preset.pan, tilt: preset.tilt, zoom: preset.zoom });
        return `<tptz:GotoPresetResponse/>`;
      }
      case 'SetPreset': {
        const token = text(body.PresetToken) || String(nextPreset++);
        presets.set(token, { name: text(body.PresetName) || `Preset ${token}`, ...position });
        return `<tptz:SetPresetResponse><tptz:PresetToken>${token}</tptz:PresetToken></tptz:SetPresetResponse>`;
      }
      case 'GotoHomePosition':
        Object.assign(position, { pan: 0, tilt: 0, zoom: 0 });
        return `<tptz:GotoHomePositionResponse/>`;
      case 'GetEventProperties':
        return `<tev:GetEventPropertiesResponse><tev:TopicNamespaceLocation>http://www.onvif.org/onvif/ver10/topics/topicns.xml</tev:TopicNamespaceLocation><wsnt:FixedTopicSet>true</wsnt:FixedTopicSet><tev:TopicSet><tns1:RuleEngine><CellMotionDetector><Motion wstop:topic="true" xmlns:wstop="http://docs.oasis-open.org/wsn/t-1"/></CellMotionDetector></tns1:RuleEngine></tev:TopicSet></tev:GetEventPropertiesResponse>`;
      case 'CreatePullPointSubscription': {
        const id = nextSubscription++;
        const ttl = parseIsoDuration(text(body.InitialTerminationTime), 60_000);
        subscriptions.set(id, { id, terminationAt: Date.now() + ttl, queue: [], waiting: null });
        const now = cameraNow();
        return `<tev:CreatePullPointSubscriptionResponse><tev:SubscriptionReference><wsa:Address>${base}/onvif/subscription/${id}</wsa:Address></tev:SubscriptionReference><wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime><wsnt:TerminationTime>${new Date(now.getTime() + ttl).toISOString()}</wsnt:TerminationTime></tev:CreatePullPointSubscriptionResponse>`;
      }
      default:
        throw fault('Receiver', 'ter:ActionNotSupported', `${action} is not supported`);
    }
  };

  const subscriptionAnswer = async (id: number, action: string, body: Json): Promise<string> => {
    const sub = subscriptions.get(id);
    if (!sub || sub.terminationAt < Date.now()) throw fault('Sender', 'wsrf-rw:ResourceUnknownFault', 'subscription unknown or expired');
    switch (action) {
      case 'PullMessages': {
        const timeout = Math.min(parseIsoDuration(text(body.Timeout), 5_000), 30_000);
        if (sub.queue.length === 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              sub.waiting = null;
              resolve();
            }, timeout);
            sub.waiting = { resolve: () => (clearTimeout(timer), (sub.waiting = null), resolve()) };
          });
        }
        const limit = Math.max(1, Number(text(body.MessageLimit)) || 100);
        const messages = sub.queue.splice(0, limit);
        const now = cameraNow();
        return `<tev:PullMessagesResponse><tev:CurrentTime>${now.toISOString()}</tev:CurrentTime><tev:TerminationTime>${new Date(now.getTime() + (sub.terminationAt - Date.now())).toISOString()}</tev:TerminationTime>${messages.join('')}</tev:PullMessagesResponse>`;
      }
      case 'Renew': {
        const ttl = parseIsoDuration(text(body.TerminationTime), 60_000);
        sub.terminationAt = Date.now() + ttl;
        const now = cameraNow();
        return `<wsnt:RenewResponse><wsnt:TerminationTime>${new Date(now.getTime() + ttl).toISOString()}</wsnt:TerminationTime><wsnt:CurrentTime>${now.toISOString()}</wsnt:CurrentTime></wsnt:RenewResponse>`;
      }
      case 'Unsubscribe':
        subscriptions.delete(id);
        sub.waiting?.resolve();
        return `<wsnt:UnsubscribeResponse/>`;
      default:
        throw fault('Receiver', 'ter:ActionNotSupported', `${action} is not supported`);
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'GET' && url.pathname.startsWith('/snapshot/')) {
      // The snapshot URI is authenticated like the SOAP services (digest), as on real cameras.
      if (options.snapshotJpeg === null) return void res.writeHead(404).end();
      if (!digestValid(req.headers.authorization, url.pathname, 'GET')) return challenge(res);
      calls.push({ service: 'snapshot', action: 'GET', body: {}, at: Date.now() });
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(options.snapshotJpeg ?? SNAPSHOT_JPEG);
      return;
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    if (options.events === false && (url.pathname.startsWith('/onvif/events') || url.pathname.startsWith('/onvif/subscription') || url.pathname === '/events')) {
      calls.push({ service: 'events', action: 'rejected', body: {}, at: Date.now() });
      return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const send = (status: number, xml: string, headers: http.OutgoingHttpHeaders = {}) =>
          res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8', ...headers }).end(xml);
        let doc: Json;
        try {
          doc = obj(parser.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          return send(400, fault('Sender', 'ter:WellFormed', 'malformed XML'));
        }
        const env = obj(doc.Envelope);
        const bodyEl = obj(env.Body);
        const action = Object.keys(bodyEl).find((k) => !k.startsWith('@')) ?? '';
        const actionBody = obj(bodyEl[action]);
        const service = url.pathname.split('/')[2] ?? '';

        if (action !== 'GetSystemDateAndTime') {
          // ONVIF Core §5.9: either mechanism may be required; the simulated camera is set to one.
          const byDigest = auth !== 'ws-security' && digestValid(req.headers.authorization, url.pathname);
          const byWsse = auth !== 'digest' && wsseValid(obj(env.Header));
          if (!byDigest && !byWsse) {
            if (auth === 'ws-security') return send(400, fault('Sender', 'ter:NotAuthorized', 'Sender not authorized'));
            return challenge(res);
          }
        } else {
          calls.push({ service, action, body: actionBody, at: Date.now() });
          const now = cameraNow();
          return send(
            200,
            envelope(
              `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings><tt:TimeZone><tt:TZ>CST-8</tt:TZ></tt:TimeZone><tt:UTCDateTime>${dateTimeXml(now)}</tt:UTCDateTime></tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
            ),
          );
        }
        // Recorded once authenticated: a digest challenge (401) and its retry are one call.
        calls.push({ service, action, body: actionBody, at: Date.now() });
        try {
          const subscription = /^\/onvif\/subscription\/(\d+)$/.exec(url.pathname);
          const xml = subscription ? await subscriptionAnswer(Number(subscription[1]), action, actionBody) : await answer(service, action, actionBody);
          send(200, envelope(xml));
        } catch (error) {
          if (typeof error === 'string') send(error.includes('NotAuthorized') ? 400 : 500, error);
          else send(500, fault('Receiver', 'ter:Action', String(error)));
        }
      })();
    });
  });

  const challenge = (res: http.ServerResponse) => {
    const nonce = crypto.randomBytes(16).toString('hex');
    issuedNonces.add(nonce);
    res.writeHead(401, { 'www-authenticate': `Digest realm="${REALM}", qop="auth", nonce="${nonce}", algorithm=MD5`, 'content-type': 'text/plain' }).end('Unauthorized');
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  base = `http://${host}:${port}`;
  const xaddr = `${base}/onvif/device_service`;

  let udp: dgram.Socket | undefined;
  let discoveryPort: number | undefined;
  if (options.discoveryPort !== undefined) {
    udp = dgram.createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      let doc: Json;
      try {
        doc = obj(parser.parse(msg.toString('utf8')));
      } catch {
        return;
      }
      const env = obj(doc.Envelope);
      if (!('Probe' in obj(env.Body))) return;
      const relatesTo = text(obj(env.Header).MessageID);
      const reply = envelope(
        `<d:ProbeMatches xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><d:ProbeMatch>` +
          `<wsa:EndpointReference><wsa:Address>urn:uuid:${crypto.createHash('md5').update(xaddr).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}</wsa:Address></wsa:EndpointReference>` +
          `<d:Types>dn:NetworkVideoTransmitter</d:Types>` +
          `<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/${encodeURIComponent(options.name)} onvif://www.onvif.org/hardware/${encodeURIComponent(options.model ?? 'SimCam-1')}</d:Scopes>` +
          `<d:XAddrs>${xaddr}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches>`,
        `<wsa:MessageID>urn:uuid:${crypto.randomUUID()}</wsa:MessageID><wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo><wsa:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To><wsa:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>`,
      );
      udp?.send(reply, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => udp!.bind(options.discoveryPort, host, () => resolve()));
    discoveryPort = udp.address().port;
  }

  return {
    xaddr,
    port,
    discoveryPort,
    calls,
    raiseMotion(isMotion) {
      for (const sub of subscriptions.values()) {
        sub.queue.push(eventXml(isMotion));
        sub.waiting?.resolve();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const sub of subscriptions.values()) sub.waiting?.resolve();
        if (!server.listening) return resolve(); // closed already
        udp?.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A 1×1 grey JPEG: what the simulator's snapshot URI serves. */
const SNAPSHOT_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/yQALCAABAAEBAREA/8wABgAQEAX/2gAIAQEAAD8A0s8g/9k=',
  'base64',
);
