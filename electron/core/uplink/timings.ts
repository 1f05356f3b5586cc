import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

export interface LinkTimings {
  backoff: Record<'down' | 'refused', BackoffPolicy>;
  /** No acknowledgement progress for this long while events are in flight → send them again. */
  ackTimeoutMs: number;
  /** Events per message. 500 × ~400 B ≈ 200 kB: well under brokers' default message limits. */
  batchSize: number;
  /** Events sent but not yet acknowledged, at most. */
  windowEvents: number;
  connectTimeoutMs: number;
  /** How often the link looks for new events and checks the acknowledgement timer. */
  tickMs: number;
}

/**
 * Batch 500 with a 10-batch window: with the city's ack round trip on one loopback broker (~5–20 ms
 * on the loaded test machine) this keeps well above 5,000 events/s while never holding more than
 * 5,000 unacknowledged events in memory.
 */
export const DEFAULT_TIMINGS: LinkTimings = {
  backoff: DEFAULT_BACKOFF,
  ackTimeoutMs: 15_000,
  batchSize: 500,
  windowEvents: 5_000,
  connectTimeoutMs: 15_000,
  tickMs: 500,
};
