import { describe, expect, it } from 'vitest';
import type { ConsoleClient, Incident, IncidentListRow } from '@shared';
import { IncidentPageStore, PAGE_SIZE } from '../../../renderer/src/features/incidents/list/page-store';

const row = (i: number, status: IncidentListRow['status'] = 'reported'): IncidentListRow => ({
  id: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  code: `GS-2025-${String(i).padStart(6, '0')}`,
  category: 'other',
  title: `incident ${i}`,
  source: 'phone',
  priority: 3,
  occurredAt: Date.UTC(2025, 0, 1),
  deadline: Date.UTC(2025, 0, 2) + i,
  status,
  assignee: null,
});

/** A fake core with `total` rows; `text` filters to rows whose title contains it. Answers wait for `release()`. */
function fakeClient(total: number) {
  const calls: Array<{ offset: number; text: string }> = [];
  const waiting: Array<() => void> = [];
  let hold = false;
  const client = {
    async invoke(name: string, input: { filter: { text?: string }; offset: number; limit: number }) {
      if (name !== 'incidents.list') throw new Error(name);
      const text = input.filter.text ?? '';
      calls.push({ offset: input.offset, text });
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      const all = Array.from({ length: total }, (_, i) => row(i)).filter((r) => r.title.includes(text));
      return { total: all.length, rows: all.slice(input.offset, input.offset + input.limit), now: Date.UTC(2025, 0, 3) };
    },
    subscribe: () => () => undefined,
  } as unknown as ConsoleClient;
  return {
    client,
    calls,
    hold: (on: boolean) => (hold = on),
    release: () => waiting.splice(0).forEach((resolve) => resolve()),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 60));

describe('incident list page cache', () => {
  it('loads the first page for a filter and fetches further pages as the viewport moves', async () => {
    const core = fakeClient(1_000);
    const store = new IncidentPageStore(core.client);
    store.setFilter({}, 'all');
    await flush();
    expect(store.getSnapshot().total).toBe(1_000);
    expect(store.rowAt(0)?.code).toBe('GS-2025-000000');
    expect(store.rowAt(PAGE_SIZE)).toBeUndefined();

    store.setVisibleRange(450, 480);
    await flush();
    expect(store.rowAt(470)?.code).toBe('GS-2025-000470');
    expect(core.calls.map((c) => c.offset)).toEqual([0, 400]);
    // Already cached: no new request.
    store.setVisibleRange(455, 485);
    await flush();
    expect(core.calls).toHaveLength(2);
  });

  it('keeps the shown rows until the new filter answers, and drops answers of an older filter', async () => {
    const core = fakeClient(300);
    const store = new IncidentPageStore(core.client);
    store.setFilter({}, 'all');
    await flush();
    core.hold(true);
    store.setFilter({ text: 'incident 1' }, 'text:1');
    store.setFilter({ text: 'incident 2' }, 'text:2');
    expect(store.getSnapshot().loading).toBe(true);
    expect(store.getSnapshot().shownKey).toBe('all');
    expect(store.rowAt(0)?.code).toBe('GS-2025-000000');
    core.release();
    await flush();
    const snapshot = store.getSnapshot();
    expect(snapshot.shownKey).toBe('text:2');
    expect(snapshot.loading).toBe(false);
    expect(store.rowAt(0)?.title).toBe('incident 2');
  });

  it('patches a cached row from a pushed change', async () => {
    const core = fakeClient(10);
    const store = new IncidentPageStore(core.client);
    store.setFilter({}, 'all');
    await flush();
    const before = store.getSnapshot().version;
    const changed = { ...row(3), status: 'dispatched', assignee: { kind: 'unit', name: '桂山派出所' } } as unknown as Incident;
    expect(store.patch(changed)).toBe(true);
    expect(store.rowAt(3)?.status).toBe('dispatched');
    expect(store.rowAt(3)?.assignee?.name).toBe('桂山派出所');
    expect(store.getSnapshot().version).toBeGreaterThan(before);
    expect(store.indexOf(changed.id)).toBe(3);
  });
});
