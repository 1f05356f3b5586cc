import { useEffect, useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { OPEN_STATUSES, type IncidentListRow } from '@shared';
import { useClient } from '../../../transport/ClientProvider';
import { statusLabel } from '../../incidents/common/labels';

export type PickedIncident = Pick<IncidentListRow, 'id' | 'code' | 'title'>;

const LIMIT = 20;

/** Finds an open incident by code or title (the full-text search of the incident list); the most urgent first. */
export function IncidentPicker({ value, onChange }: { value: PickedIncident | null; onChange(incident: PickedIncident | null): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 200);
  const [rows, setRows] = useState<IncidentListRow[]>([]);
  const [loading, setLoading] = useState(false);

  // Typing the chosen option's own label is not a new search.
  const query = value && debounced === label(value) ? '' : debounced.trim();
  useEffect(() => {
    let live = true;
    setLoading(true);
    client
      .invoke('incidents.list', { filter: { statuses: [...OPEN_STATUSES], text: query }, limit: LIMIT })
      .then(
        (page) => live && setRows(page.rows),
        () => live && setRows([]),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, query]);

  const options = rows.map((row) => ({ value: row.id, label: label(row) }));
  if (value && !options.some((o) => o.value === value.id)) options.unshift({ value: value.id, label: label(value) });

  return (
    <Select
      label={t('cameras.snapshot.pickIncident')}
      placeholder={t('cameras.snapshot.pickPlaceholder')}
      searchable
      clearable
      data={options}
      value={value?.id ?? null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: all }) => all}
      nothingFoundMessage={loading ? t('cameras.snapshot.searching') : t('cameras.snapshot.noIncident')}
      onChange={(id) => {
        const row = rows.find((r) => r.id === id) ?? (value?.id === id ? value : null);
        onChange(row ? { id: row.id, code: row.code, title: row.title } : null);
      }}
      renderOption={({ option }) => {
        const row = rows.find((r) => r.id === option.value);
        return (
          <span data-testid="incident-option">
            {option.label}
            {row && <span className="incident-option-status"> · {statusLabel(row.status, t)}</span>}
          </span>
        );
      }}
      comboboxProps={{ withinPortal: true }}
      maxDropdownHeight={260}
      data-testid="snapshot-incident"
    />
  );
}

function label(row: PickedIncident): string {
  return `${row.code} ${row.title}`;
}
