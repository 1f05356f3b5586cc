import { useSyncExternalStore } from 'react';

/**
 * The core's clock as seen here: every response that carries `now` updates the offset, so overdue
 * states agree with the core even when this PC's clock drifts. Ticks so relative times stay fresh.
 */
let offset = 0;
let tick = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

const TICK_MS = 15_000;

function emit() {
  tick = Date.now() + offset;
  for (const listener of listeners) listener();
}

export function reportServerNow(serverNow: number): void {
  const next = serverNow - Date.now();
  // Ignore jitter from request latency; follow real drift.
  if (Math.abs(next - offset) > 2_000) {
    offset = next;
    emit();
  }
}

export function serverNow(): number {
  return Date.now() + offset;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) timer = setInterval(emit, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Core time, refreshed every 15 s (enough for "3 hours left"). */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => tick);
}
