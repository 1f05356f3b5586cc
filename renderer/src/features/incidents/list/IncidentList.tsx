import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { Button, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconInbox, IconSearchOff } from '@tabler/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Locale } from 'date-fns';
import { isOverdue, type IncidentFilter, type IncidentListRow, type WorkflowKind } from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../../transport/ClientProvider';
import { reportServerNow, useNow } from '../../system/clock';
import { useLanguage } from '../../../i18n';
import { describeFailure } from '../../../app/errors';
import { useCategories } from '../common/categories';
import { PriorityBadge, StatusBadge } from '../common/badges';
import { SourceIcon } from '../common/SourceIcon';
import { deadlineView, formatDateTime } from '../common/format';
import { assigneeKindLabel, sourceLabel, statusLabel } from '../common/labels';
import { RowEscalation } from '../../workflows/EscalationButtons';
import { IncidentPageStore } from './page-store';
import './incident-list.css';

const ROW_HEIGHT = 34;
/** Live changes are patched in at once; order and membership are refreshed after a short pause. */
const REFRESH_DEBOUNCE_MS = 400;

export interface IncidentListHandle {
  /** Moves the keyboard cursor by `delta` rows (↑/↓). */
  move(delta: number): void;
  /** Opens the row under the cursor (Enter). */
  openCursor(): void;
  focus(): void;
}

export interface IncidentListProps {
  filter: IncidentFilter;
  filterKey: string;
  selectedId: string | null;
  onOpen(id: string): void;
  /** The row's one-click escalation (police, mediation, quarantine) for an open incident. */
  onEscalate?(id: string, kind: WorkflowKind): void;
  filtered: boolean;
  onClearFilters(): void;
  onTotal?(total: number | null, loading: boolean): void;
}

export const IncidentList = forwardRef<IncidentListHandle, IncidentListProps>(function IncidentList(
  { filter, filterKey, selectedId, onOpen, onEscalate, filtered, onClearFilters, onTotal },
  ref,
) {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const store = useMemo(() => new IncidentPageStore(client, reportServerNow), [client]);
  useEffect(() => () => store.dispose(), [store]);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [cursor, setCursor] = useState(-1);
  const scrollRef = useRef<HTMLDivElement>(null);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const total = snapshot.total ?? 0;
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // A new filter: new generation, back to the top.
  useEffect(() => {
    if (store.setFilter(filter, filterKey)) {
      scrollRef.current?.scrollTo({ top: 0 });
      setCursor(-1);
    }
  }, [store, filter, filterKey]);

  // After a reconnect, events may have been missed.
  const firstEpoch = useRef(epoch);
  useEffect(() => {
    if (epoch !== firstEpoch.current) void store.reload();
  }, [store, epoch]);

  useEffect(() => onTotal?.(snapshot.total, snapshot.loading), [onTotal, snapshot.total, snapshot.loading]);

  const items = virtualizer.getVirtualItems();
  const rangeStart = items[0]?.index ?? 0;
  const rangeEnd = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    store.setVisibleRange(rangeStart, rangeEnd);
  }, [store, rangeStart, rangeEnd, snapshot.total]);

  const scheduleRefresh = useCallback(() => {
    if (refreshTimer.current) clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      void store.reload();
    }, REFRESH_DEBOUNCE_MS);
  }, [store]);
  useEffect(() => () => void (refreshTimer.current && clearTimeout(refreshTimer.current)), []);

  useCoreEvent('incident.changed', ({ incident }) => {
    store.patch(incident);
    scheduleRefresh();
  });
  useCoreEvent('incidents.reloaded', () => void store.reload());

  useImperativeHandle(
    ref,
    () => ({
      move(delta) {
        if (!total) return;
        const start = cursor < 0 ? (delta > 0 ? -1 : total) : cursor;
        const next = Math.min(total - 1, Math.max(0, start + delta));
        setCursor(next);
        virtualizer.scrollToIndex(next, { align: 'auto' });
      },
      openCursor() {
        const row = cursor >= 0 ? store.rowAt(cursor) : undefined;
        if (row) onOpen(row.id);
      },
      focus() {
        scrollRef.current?.focus();
      },
    }),
    [cursor, total, virtualizer, store, onOpen],
  );

  const now = useNow();
  const { dateLocale } = useLanguage();
  const { name: categoryName } = useCategories();
  const ctx = useMemo<RowContext>(() => ({ now, t, dateLocale, categoryName, onEscalate }), [now, t, dateLocale, categoryName, onEscalate]);
  const openRow = useCallback(
    (index: number, id: string) => {
      setCursor(index);
      onOpen(id);
    },
    [onOpen],
  );

  const stale = snapshot.loading || snapshot.shownKey !== filterKey;
  const showEmpty = snapshot.total === 0 && !stale && !snapshot.error;

  return (
    <div className="incident-list" data-testid="incident-list" data-loading={stale || undefined}>
      <div className="list-header" role="row">
        <span>{t('list.columns.code')}</span>
        <span>{t('list.columns.priority')}</span>
        <span>{t('list.columns.category')}</span>
        <span>{t('list.columns.title')}</span>
        <span>{t('list.columns.status')}</span>
        <span className="col-assignee">{t('list.columns.assignee')}</span>
        <span className="col-deadline">{t('list.columns.deadline')}</span>
      </div>
      <div className="list-progress" data-active={stale || undefined} />
      <div
        ref={scrollRef}
        className="list-scroll"
        tabIndex={0}
        role="grid"
        aria-rowcount={total}
        aria-busy={stale}
        data-testid="incident-list-scroll"
      >
        {snapshot.error !== null && !stale ? (
          <ListError error={snapshot.error} onRetry={() => void store.reload()} />
        ) : showEmpty ? (
          <EmptyState filtered={filtered} onClearFilters={onClearFilters} />
        ) : snapshot.total === null ? (
          <LoadingRows />
        ) : (
          <div className="list-canvas" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const row = store.rowAt(item.index);
              return (
                <div
                  key={item.key}
                  className="list-slot"
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  aria-rowindex={item.index + 1}
                >
                  {row ? (
                    <Row
                      row={row}
                      index={item.index}
                      selected={row.id === selectedId}
                      cursor={item.index === cursor}
                      onOpen={openRow}
                      ctx={ctx}
                    />
                  ) : (
                    <PlaceholderRow />
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
});

interface RowContext {
  now: number;
  t: TFunction;
  dateLocale: Locale;
  categoryName(code: string): string;
  onEscalate?(id: string, kind: WorkflowKind): void;
}

/** One list row. Kept light (plain spans, no per-row hooks): dozens mount per frame while scrolling. */
const Row = memo(function Row({
  row,
  selected,
  cursor,
  onOpen,
  index,
  ctx,
}: {
  row: IncidentListRow;
  selected: boolean;
  cursor: boolean;
  onOpen(index: number, id: string): void;
  index: number;
  ctx: RowContext;
}) {
  const { now, t, dateLocale, categoryName, onEscalate } = ctx;
  const overdue = isOverdue(row, now);
  const deadline = deadlineView(row, now, t, dateLocale);
  return (
    <div
      className="list-row"
      role="row"
      data-testid="incident-row"
      data-id={row.id}
      data-overdue={overdue || undefined}
      data-selected={selected || undefined}
      data-cursor={cursor || undefined}
      data-priority={row.priority}
      aria-selected={selected}
      onClick={() => onOpen(index, row.id)}
    >
      <span className="cell-code" data-testid="row-code">
        {row.code}
      </span>
      <span>
        <PriorityBadge priority={row.priority} t={t} />
      </span>
      <span className="cell-category">{categoryName(row.category)}</span>
      <span className="cell-title" title={row.title}>
        <span className="source-icon" title={sourceLabel(row.source, t)}>
          <SourceIcon source={row.source} />
        </span>
        <span className="title-text">{row.title}</span>
      </span>
      <span>
        <StatusBadge status={row.status} t={t} short title={statusLabel(row.status, t)} />
      </span>
      <span className="cell-assignee col-assignee" title={row.assignee ? assigneeKindLabel(row.assignee.kind, t) : undefined}>
        {row.assignee ? row.assignee.name : <span className="muted">{t('list.unassigned')}</span>}
      </span>
      <span
        className="cell-deadline col-deadline"
        data-testid="row-deadline"
        data-overdue={deadline.overdue || undefined}
        data-soon={deadline.soon || undefined}
        data-closed={deadline.closed || undefined}
        title={formatDateTime(row.deadline)}
      >
        {deadline.overdue && <IconAlertTriangle size={12} stroke={2} />}
        {deadline.text}
      </span>
      {onEscalate && row.status !== 'closed' && <RowEscalation id={row.id} onEscalate={onEscalate} t={t} />}
    </div>
  );
});

function PlaceholderRow() {
  return (
    <div className="list-row list-row--placeholder" aria-hidden>
      <i />
      <i />
      <i />
      <i />
      <i />
      <i className="col-assignee" />
      <i className="col-deadline" />
    </div>
  );
}

function LoadingRows() {
  return (
    <div>
      {Array.from({ length: 12 }, (_, i) => (
        <PlaceholderRow key={i} />
      ))}
    </div>
  );
}

function EmptyState({ filtered, onClearFilters }: { filtered: boolean; onClearFilters(): void }) {
  const { t } = useTranslation();
  const Icon = filtered ? IconSearchOff : IconInbox;
  return (
    <Stack className="list-empty" data-testid={filtered ? 'list-no-results' : 'list-empty'} align="center" gap={6}>
      <Icon size={34} stroke={1.2} className="empty-icon" />
      <Text fw={600} size="sm">
        {filtered ? t('list.noResultsTitle') : t('list.emptyTitle')}
      </Text>
      <Text size="xs" c="dimmed" ta="center" maw={360}>
        {filtered ? t('list.noResultsHint') : t('list.emptyHint')}
      </Text>
      {filtered && (
        <Button variant="default" mt={4} onClick={onClearFilters}>
          {t('list.clearFilters')}
        </Button>
      )}
    </Stack>
  );
}

function ListError({ error, onRetry }: { error: unknown; onRetry(): void }) {
  const { t } = useTranslation();
  const { title, message } = describeFailure(error, t);
  return (
    <Stack className="list-empty" align="center" gap={6} data-testid="list-error">
      <IconAlertTriangle size={30} stroke={1.3} color="var(--mantine-color-red-6)" />
      <Text fw={600} size="sm">
        {t('list.loadFailed')} · {title}
      </Text>
      <Text size="xs" c="dimmed" ta="center" maw={420}>
        {message}
      </Text>
      <Button variant="default" mt={4} onClick={onRetry}>
        {t('list.retry')}
      </Button>
    </Stack>
  );
}
