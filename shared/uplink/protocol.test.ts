import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, decodeMessage, encodeMessage, parseTownTopic, townTopic } from './protocol';

const hash = 'a'.repeat(64);
const event = (seq: number) => ({
  seq,
  id: '0196a000-0000-7000-8000-000000000001',
  incidentId: '0196a000-0000-7000-8000-000000000002',
  type: 'created',
  actor: '值班员',
  at: Date.UTC(2026, 5, 1),
  payload: '{}',
  prevHash: hash,
  hash,
  drill: false,
});

describe('the city-link protocol', () => {
  it('lays out topics per town and parses them back', () => {
    expect(townTopic('city/v1', 'GS', 'events')).toBe('city/v1/towns/GS/events');
    expect(parseTownTopic('city/v1', 'city/v1/towns/GS/acks')).toEqual({ town: 'GS', kind: 'acks' });
    expect(parseTownTopic('city/v1', 'city/v1/towns/GS/acks/x')).toBeNull();
    expect(parseTownTopic('city/v1', 'city/v1/towns/G S/acks')).toBeNull();
    expect(parseTownTopic('city/v1', 'other/towns/GS/acks')).toBeNull();
  });

  it('round-trips a batch; refuses gaps, other towns, future versions and garbage with a reason', () => {
    const batch = { v: PROTOCOL_VERSION, kind: 'events' as const, town: 'GS', sentAt: Date.UTC(2026, 5, 1), events: [event(1), event(2)] };
    const decoded = decodeMessage('events', 'GS', encodeMessage(batch as never));
    expect(decoded).toEqual({ ok: true, message: { ...batch, events: batch.events.map((e) => ({ ...e, withheld: false })) } });
    expect(decodeMessage('events', 'GS', JSON.stringify({ ...batch, events: [event(1), event(3)] }))).toMatchObject({ ok: false, reason: 'malformed', detail: expect.stringContaining('consecutive') });
    expect(decodeMessage('events', 'ZH', JSON.stringify(batch))).toMatchObject({ ok: false, reason: 'wrong_town' });
    expect(decodeMessage('events', 'GS', JSON.stringify({ ...batch, v: 2 }))).toMatchObject({ ok: false, reason: 'unsupported_version' });
    expect(decodeMessage('events', 'GS', '{"kind":"events"}')).toMatchObject({ ok: false, reason: 'malformed', detail: 'no protocol version' });
    expect(decodeMessage('events', 'GS', Buffer.from([0xff, 0x7b]))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(decodeMessage('events', 'GS', '[1]')).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('a directive names either an incident or a new case', () => {
    const directive = {
      id: '0196a000-0000-7000-8000-000000000003',
      issuer: '区综治中心',
      mode: 'assign',
      text: '请核查',
      deadline: Date.UTC(2026, 5, 3),
      priority: 2,
      issuedAt: Date.UTC(2026, 5, 1),
    };
    const msg = (d: object) => JSON.stringify({ v: 1, kind: 'directive', town: 'GS', directive: d });
    expect(decodeMessage('directives', 'GS', msg(directive))).toMatchObject({ ok: false, reason: 'malformed' });
    expect(decodeMessage('directives', 'GS', msg({ ...directive, incidentId: '0196a000-0000-7000-8000-000000000002' }))).toMatchObject({
      ok: true,
      message: { directive: { revision: 1, newCase: null } },
    });
  });
});
