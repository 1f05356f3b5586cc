/**
 * WS-Discovery (ONVIF Core §7): a Probe for NetworkVideoTransmitters, multicast on every IPv4
 * interface, and/or sent straight to one host:port for networks where multicast does not pass.
 */
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import os from 'node:os';
import { XMLParser } from 'fast-xml-parser';

export const WS_DISCOVERY_ADDRESS = '239.255.255.250';
export const WS_DISCOVERY_PORT = 3702;

export interface ProbeMatch {
  url: string;
  name: string;
  hardware: string;
}

export interface DiscoverOptions {
  multicast: boolean;
  directed: { host: string; port: number } | null;
  timeoutMs: number;
}

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });

export function probeMessage(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    `<s:Header><a:MessageID>urn:uuid:${messageId}</a:MessageID><a:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
    '<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>'
  );
}

export function parseProbeMatches(xml: string): ProbeMatch[] {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return [];
  }
  const body = ((doc.Envelope as Record<string, unknown> | undefined)?.Body ?? {}) as Record<string, unknown>;
  const matches = (body.ProbeMatches as Record<string, unknown> | undefined)?.ProbeMatch;
  const list = (Array.isArray(matches) ? matches : matches ? [matches] : []) as Record<string, unknown>[];
  const out: ProbeMatch[] = [];
  for (const match of list) {
    const url = String(match.XAddrs ?? '')
      .split(/\s+/)
      .find((x) => /^https?:\/\//.test(x));
    if (!url) continue;
    const scopes = String(match.Scopes ?? '').split(/\s+/);
    const scope = (kind: string) => {
      const found = scopes.find((s) => s.startsWith(`onvif://www.onvif.org/${kind}/`));
      return found ? decodeURIComponent(found.slice(`onvif://www.onvif.org/${kind}/`.length)) : '';
    };
    out.push({ url, name: scope('name'), hardware: scope('hardware') });
  }
  return out;
}

export async function discover(options: DiscoverOptions): Promise<ProbeMatch[]> {
  const found = new Map<string, ProbeMatch>();
  const messageId = crypto.randomUUID();
  const probe = Buffer.from(probeMessage(messageId));
  const sockets: dgram.Socket[] = [];
  const open = async (bindAddress?: string) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    sockets.push(socket);
    socket.on('error', () => {});
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      if (!text.includes(messageId)) return; // an answer to someone else's probe
      for (const match of parseProbeMatches(text)) found.set(match.url, match);
    });
    await new Promise<void>((resolve) => socket.bind(0, bindAddress, () => resolve()));
    return socket;
  };
  try {
    if (options.directed) {
      const socket = await open();
      socket.send(probe, options.directed.port, options.directed.host);
    }
    if (options.multicast) {
      for (const addresses of Object.values(os.networkInterfaces())) {
        for (const address of addresses ?? []) {
          if (address.family !== 'IPv4' || address.internal) continue;
          const socket = await open(address.address);
          socket.setMulticastInterface(address.address);
          socket.send(probe, WS_DISCOVERY_PORT, WS_DISCOVERY_ADDRESS);
        }
      }
    }
    await new Promise((resolve) => setTimeout(resolve, options.timeoutMs));
  } finally {
    for (const socket of sockets) socket.close();
  }
  return [...found.values()];
}
