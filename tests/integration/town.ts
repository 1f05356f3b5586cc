/**
 * A town console for the city-link tests: the real core (its own data directory), configured for a
 * broker, plus a fast way to put many events into its outbox (a second connection writing real
 * incidents and comments through the incident store, as the console does).
 */
import path from 'node:path';
import { DATABASE_FILE, openDatabase } from '../../electron/core/store/database';
import { IncidentStore } from '../../electron/core/incidents/incident-store';
import { openCore, type Core } from '../../electron/core';
import type { LinkTimings } from '../../electron/core/uplink';
import type { CommandInput, CommandName, CommandOutput, Envelope } from '@shared';

export const TOWN = 'GS';
export const TOWN_PASSWORD = 'Guishan#town-2026';
export const CITY_PASSWORD = 'Zhuhai#city-2026';

/** Short enough for tests; the backoff for refusals stays the real one unless a test says otherwise. */
export const TEST_TIMINGS: Partial<LinkTimings> = {
  ackTimeoutMs: 1_500,
  tickMs: 100,
  backoff: { down: { baseMs: 200, capMs: 1_000 }, refused: { baseMs: 30_000, capMs: 15 * 60_000 } },
};

export interface Town {
  core: Core;
  dataDir: string;
  call<N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>>;
  close(): void;
}

export function openTown(dataDir: string, timings: Partial<LinkTimings> = TEST_TIMINGS): Town {
  const core = openCore({ dataDir, host: 'node', operator: '值班员 张三', version: 'test', uplinkTimings: timings });
  const call = async <N extends CommandName>(name: N, input: CommandInput<N>): Promise<CommandOutput<N>> => {
    const envelope: Envelope = await core.dispatch(name, input);
    if (!envelope.ok) throw Object.assign(new Error(`${name}: ${envelope.error.message}`), { body: envelope.error });
    return envelope.value as CommandOutput<N>;
  };
  return { core, dataDir, call, close: () => core.close() };
}

/**
 * Appends `count` events to a town's log: incidents with four comments each, in one transaction per
 * 1,000, from a second connection — as fast as the store writes, without the dispatcher in the way.
 */
export function writeEvents(dataDir: string, count: number, options: { source?: 'phone' | 'drill'; at?: number } = {}): void {
  const db = openDatabase(path.join(dataDir, DATABASE_FILE));
  try {
    const at = options.at ?? Date.now();
    const store = new IncidentStore(db, { codePrefix: TOWN, now: () => at });
    let written = 0;
    while (written < count) {
      store.write(() => {
        for (let n = 0; n < 1000 && written < count; ) {
          const { incident } = store.create(
            { category: 'public_security', title: `测试事件 ${written}`, description: '', location: null, gridId: null, source: options.source ?? 'phone', priority: 3, reporter: '', occurredAt: at - 60_000 },
            '值班员 张三',
            at,
          );
          written += 1;
          n += 1;
          for (let c = 0; c < 4 && written < count; c++, n++, written++) store.comment(incident.id, `备注 ${c}`, '值班员 张三', at);
        }
      });
    }
  } finally {
    db.close();
  }
}
