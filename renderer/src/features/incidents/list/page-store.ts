import type { ConsoleClient, Incident, IncidentFilter, IncidentListRow } from '@shared';

export const PAGE_SIZE = 100;
/** Pages kept in memory (LRU); the ones in view are never evicted. */
const MAX_PAGES = 40;
/** Range changes while scrolling fast are coalesced into one round of fetches. */
const FETCH_COALESCE_MS = 30;

export interface PageStoreSnapshot {
  version: number;
  /** Null until the first page of the current filter has arrived. */
  total: number | null;
  /** A reload for a new filter (or a refresh) is under way; rows shown may be the previous ones. */
  loading: boolean;
  error: unknown;
  /** The filter whose rows are shown (may lag the requested one while loading). */
  shownKey: string;
}

function toRow(incident: Incident): IncidentListRow {
  const { id, code, category, title, source, priority, occurredAt, deadline, status, assignee } = incident;
  return { id, code, category, title, source, priority, occurredAt, deadline, status, assignee };
}

/**
 * Pages of `incidents.list` for one filter, fetched by offset as the viewport moves. A new filter
 * or a refresh starts a new generation: answers of older generations are dropped, and the rows
 * on screen stay until the new ones arrive (no flash of empty list).
 */
export class IncidentPageStore {
  private pages = new Map<number, IncidentListRow[]>();
  private inflight = new Set<number>();
  private gen = 0;
  private filter: IncidentFilter = {};
  private key = '';
  private shownKey = '';
  private total: number | null = null;
  private loading = false;
  private error: unknown = null;
  private version = 0;
  private snapshot: PageStoreSnapshot;
  private visible = { start: 0, end: 0 };
  private coalesce: ReturnType<typeof setTimeout> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly client: ConsoleClient,
    private readonly onNow: (now: number) => void = () => undefined,
  ) {
    this.snapshot = this.makeSnapshot();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): PageStoreSnapshot => this.snapshot;

  private makeSnapshot(): PageStoreSnapshot {
    return { version: this.version, total: this.total, loading: this.loading, error: this.error, shownKey: this.shownKey };
  }

  private emit() {
    this.version += 1;
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }

  rowAt(index: number): IncidentListRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  indexOf(id: string): number {
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i >= 0) return page * PAGE_SIZE + i;
    }
    return -1;
  }

  /** Switches to a new filter; returns true if it differs from the current one. */
  setFilter(filter: IncidentFilter, key: string): boolean {
    if (key === this.key) return false;
    this.key = key;
    this.filter = filter;
    this.visible = { start: 0, end: Math.max(this.visible.end - this.visible.start, 30) };
    void this.reload();
    return true;
  }

  /** Fetches the pages in view for the current filter as a new generation and swaps them in at once. */
  async reload(): Promise<void> {
    const gen = ++this.gen;
    const key = this.key;
    this.inflight.clear();
    this.loading = true;
    this.emit();
    const wanted = this.pagesInView();
    try {
      const results = await Promise.all(wanted.map((page) => this.fetch(page)));
      if (gen !== this.gen) return;
      this.pages = new Map();
      for (const [i, result] of results.entries()) this.pages.set(wanted[i]!, result.rows);
      const last = results[results.length - 1]!;
      this.total = last.total;
      this.onNow(last.now);
      this.shownKey = key;
      this.loading = false;
      this.error = null;
      this.emit();
      this.ensureVisible();
    } catch (error) {
      if (gen !== this.gen) return;
      this.loading = false;
      this.error = error;
      this.shownKey = key;
      this.emit();
    }
  }

  /** The viewport moved: fetch the pages it needs (coalesced). */
  setVisibleRange(start: number, end: number): void {
    this.visible = { start, end };
    if (this.coalesce) return;
    this.coalesce = setTimeout(() => {
      this.coalesce = null;
      this.ensureVisible();
    }, FETCH_COALESCE_MS);
  }

  /** A change pushed by core: patch the row where it is cached (the caller schedules a refresh for order/membership). */
  patch(incident: Incident): boolean {
    let found = false;
    for (const [page, rows] of this.pages) {
      const i = rows.findIndex((r) => r.id === incident.id);
      if (i < 0) continue;
      const next = rows.slice();
      next[i] = toRow(incident);
      this.pages.set(page, next);
      found = true;
    }
    if (found) this.emit();
    return found;
  }

  /** Drops answers still on the way; a later `setFilter` (e.g. React's StrictMode remount) loads afresh. */
  dispose(): void {
    this.gen += 1;
    this.key = '';
    this.inflight.clear();
    if (this.coalesce) clearTimeout(this.coalesce);
    this.coalesce = null;
  }

  private pagesInView(): number[] {
    const first = Math.floor(this.visible.start / PAGE_SIZE);
    const last = Math.floor(Math.max(this.visible.end, this.visible.start) / PAGE_SIZE);
    const max = this.total === null ? last : Math.max(0, Math.ceil(this.total / PAGE_SIZE) - 1);
    const pages: number[] = [];
    for (let p = first; p <= Math.min(last, Math.max(max, first)); p++) pages.push(p);
    return pages.length ? pages : [0];
  }

  private ensureVisible(): void {
    if (this.total === null || this.loading) return;
    const gen = this.gen;
    for (const page of this.pagesInView()) {
      if (page * PAGE_SIZE >= this.total && page > 0) continue;
      if (this.pages.has(page) || this.inflight.has(page)) {
        // Touch for LRU.
        const rows = this.pages.get(page);
        if (rows) {
          this.pages.delete(page);
          this.pages.set(page, rows);
        }
        continue;
      }
      this.inflight.add(page);
      this.fetch(page).then(
        (result) => {
          if (gen !== this.gen) return;
          this.inflight.delete(page);
          this.pages.set(page, result.rows);
          this.total = result.total;
          this.onNow(result.now);
          this.evict();
          this.emit();
        },
        (error) => {
          if (gen !== this.gen) return;
          this.inflight.delete(page);
          this.error = error;
          this.emit();
        },
      );
    }
  }

  private evict(): void {
    if (this.pages.size <= MAX_PAGES) return;
    const keep = new Set(this.pagesInView());
    for (const page of this.pages.keys()) {
      if (this.pages.size <= MAX_PAGES) break;
      if (!keep.has(page)) this.pages.delete(page);
    }
  }

  private fetch(page: number) {
    return this.client.invoke('incidents.list', { filter: this.filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
  }
}
