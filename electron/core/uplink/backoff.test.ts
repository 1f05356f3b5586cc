import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, backoffDelay, classifyLinkError } from './backoff';

describe('backoff', () => {
  it('doubles up to the cap, with half of each delay random', () => {
    const low = (n: number) => backoffDelay(DEFAULT_BACKOFF.down, n, () => 0);
    const high = (n: number) => backoffDelay(DEFAULT_BACKOFF.down, n, () => 1);
    expect([0, 1, 2, 3].map(low)).toEqual([500, 1000, 2000, 4000]);
    expect([0, 1, 2, 3].map(high)).toEqual([1000, 2000, 4000, 8000]);
    expect(high(40)).toBe(60_000);
    expect(low(40)).toBe(30_000);
  });

  it('waits at least 15 s after a refusal and at most 15 min', () => {
    expect(backoffDelay(DEFAULT_BACKOFF.refused, 0, () => 0)).toBe(15_000);
    expect(backoffDelay(DEFAULT_BACKOFF.refused, 99, () => 1)).toBe(900_000);
  });
});

describe('classifyLinkError', () => {
  it('tells credentials, certificates and the network apart', () => {
    expect(classifyLinkError(Object.assign(new Error('Connection refused: Not authorized'), { code: 135 }))).toEqual({ problem: 'auth', detail: 'CONNACK 135', refused: true });
    expect(classifyLinkError(Object.assign(new Error('Connection refused: Bad username or password'), { code: 4 }))).toMatchObject({ problem: 'auth' });
    expect(classifyLinkError(Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }))).toEqual({
      problem: 'tls',
      detail: 'SELF_SIGNED_CERT_IN_CHAIN',
      refused: true,
    });
    expect(classifyLinkError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toEqual({ problem: 'network', detail: 'ECONNREFUSED', refused: false });
    expect(classifyLinkError(Object.assign(new Error('Unsupported protocol version'), { code: 132 }))).toMatchObject({ problem: 'protocol', refused: true });
  });
});
