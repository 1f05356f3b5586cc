import { useEffect, useState } from 'react';
import { Select, TextInput } from '@mantine/core';
import { IconGridDots } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Grid, GridRef } from '@shared';
import { useClient } from '../../transport/ClientProvider';

const LOCATE_DEBOUNCE_MS = 250;

interface GridFieldProps {
  lon: number | string;
  lat: number | string;
  value: string;
  onChange: (gridId: string) => void;
  error?: string;
  /** A visible label (the incident form labels its location group instead). */
  label?: string;
}

const coordinate = (v: number | string, limit: number): number | null => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? NaN : Number(v);
  return Number.isFinite(n) && Math.abs(n) <= limit ? n : null;
};

/**
 * The grid of an incident or a camera. With a location, core computes it (point in polygon) and this shows what it
 * computed; without one, the operator picks a grid from the list.
 */
export function GridField({ lon, lat, value, onChange, error, label }: GridFieldProps) {
  const { t } = useTranslation();
  const client = useClient();
  const x = coordinate(lon, 180);
  const y = coordinate(lat, 90);
  const located = x !== null && y !== null;
  const [computed, setComputed] = useState<GridRef | null | undefined>(undefined);
  const [grids, setGrids] = useState<Grid[]>([]);

  useEffect(() => {
    if (!located) {
      setComputed(undefined);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      client.invoke('grids.locate', { location: { lon: x, lat: y } }).then(
        ({ grid }) => {
          if (cancelled) return;
          setComputed(grid);
          if ((grid?.id ?? '') !== value) onChange(grid?.id ?? '');
        },
        () => !cancelled && setComputed(null),
      );
    }, LOCATE_DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
    // `value` and `onChange` follow from the result; re-running on them would loop.
  }, [client, located, x, y]);

  useEffect(() => {
    if (located) return;
    let cancelled = false;
    client.invoke('grids.list', {}).then(
      ({ grids: list }) => !cancelled && setGrids(list),
      () => !cancelled && setGrids([]),
    );
    return () => {
      cancelled = true;
    };
  }, [client, located]);

  if (located) {
    return (
      <TextInput
        wrapperProps={{ 'data-testid': 'field-grid' } as Record<string, string>}
        label={label}
        aria-label={t('form.grid')}
        readOnly
        value={computed === undefined ? '…' : computed ? `${computed.name}（${computed.code}）` : t('map.context.noGrid')}
        leftSection={<IconGridDots size={14} />}
        error={error}
        title={t('map.gridComputed')}
      />
    );
  }
  return (
    <Select
      wrapperProps={{ 'data-testid': 'field-grid' } as Record<string, string>}
      label={label}
      aria-label={t('form.grid')}
      placeholder={t('map.gridPick')}
      data={grids.map((g) => ({ value: g.id, label: `${g.name}（${g.code}）` }))}
      value={value || null}
      onChange={(v) => onChange(v ?? '')}
      clearable
      searchable
      error={error}
      leftSection={<IconGridDots size={14} />}
      comboboxProps={{ withinPortal: true }}
      nothingFoundMessage={t('map.gridNone')}
    />
  );
}
