import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWsTransport, TransportError } from '../../../renderer/src/transport/ws-transport';

/** A stand-in for the browser WebSocket: records sent frames, lets the test open, answer and drop it. */
class FakeSocket extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static instances: FakeSocket[] = [];
  readyState = FakeSocket.CONNECTING;
  sent: Array<{ t: string; id: number; name: string; input: unknown }> = [];

  constructor(readonly url: string) {
    super();
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  receive(frame: unknown) {
    const event = new Event('message') as Event & { data: string };
    Object.defineProperty(event, 'data', { value: JSON.stringify(frame) });
    this.dispatchEvent(event);
  }
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
}

const latest = () => FakeSocket.instances[FakeSocket.instances.length - 1]!;
const make = () =>
  createWsTransport({
    url: 'ws://127.0.0.1:5199/ws',
    queueTimeoutMs: 1_000,
    backoffMinMs: 100,
    backoffMaxMs: 400,
    createSocket: (url) => new FakeSocket(url) as unknown as WebSocket,
  });

beforeEach(() => {
  vi.useFakeTimers();
  vi.stubGlobal('WebSocket', FakeSocket);
  FakeSocket.instances = [];
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('WebSocket transport', () => {
  it('queues calls until the socket opens, then matches results by id', async () => {
    const transport = make();
    expect(transport.state()).toBe('connecting');
    const call = transport.invoke('system.info', {});
    expect(latest().sent).toHaveLength(0);
    latest().open();
    expect(transport.state()).toBe('connected');
    expect(transport.epoch()).toBe(1);
    const frame = latest().sent[0]!;
    expect(frame).toMatchObject({ t: 'invoke', name: 'system.info', input: {} });
    latest().receive({ t: 'result', id: frame.id, result: { ok: true, value: { version: '1' } } });
    await expect(call).resolves.toEqual({ ok: true, value: { version: '1' } });
  });

  it('delivers events to subscribers and ignores malformed frames', () => {
    const transport = make();
    latest().open();
    const seen: unknown[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const off = transport.subscribe('incidents.reloaded', (p) => seen.push(p));
    latest().receive({ t: 'event', name: 'incidents.reloaded', payload: { reason: 'demo' } });
    latest().receive({ nonsense: true });
    off();
    latest().receive({ t: 'event', name: 'incidents.reloaded', payload: { reason: 'again' } });
    expect(seen).toEqual([{ reason: 'demo' }]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('rejects calls in flight when the connection drops, then reconnects with backoff', async () => {
    const transport = make();
    latest().open();
    const states: string[] = [];
    transport.onState((s) => states.push(s));
    const call = transport.invoke('incidents.summary', {});
    latest().drop();
    await expect(call).rejects.toBeInstanceOf(TransportError);
    await expect(call).rejects.toMatchObject({ reason: 'disconnected' });
    expect(transport.state()).toBe('reconnecting');
    expect(FakeSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(500);
    expect(FakeSocket.instances).toHaveLength(2);
    latest().open();
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(transport.epoch()).toBe(2);
  });

  it('gives up on a queued call when the connection does not return in time', async () => {
    const transport = make();
    const call = transport.invoke('system.info', {});
    vi.advanceTimersByTime(1_001);
    await expect(call).rejects.toMatchObject({ name: 'TransportError', reason: 'unavailable' });
    latest().open();
    expect(latest().sent).toHaveLength(0);
  });
});
