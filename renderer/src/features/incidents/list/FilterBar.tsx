import { forwardRef, type ReactNode } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  CloseButton,
  Group,
  Kbd,
  Popover,
  Stack,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconAlertTriangle, IconCalendar, IconChevronDown, IconFilterOff, IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { INCIDENT_STATUSES, PRIORITIES, type IncidentStatus, type Priority } from '@shared';
import { useCategories } from '../common/categories';
import { STATUS_COLORS, PRIORITY_COLORS, priorityLabel, statusLabel } from '../common/labels';
import { EMPTY_FILTER, hasActiveFilters, type FilterState } from './filter-model';

interface Option<V extends string | number> {
  value: V;
  label: string;
  color?: string;
}

/** A compact multi-select: a toolbar button "状态 · 2" opening a checkbox list. */
function FilterMenu<V extends string | number>({
  label,
  options,
  value,
  onChange,
  testId,
}: {
  label: string;
  options: Option<V>[];
  value: V[];
  onChange: (value: V[]) => void;
  testId: string;
}) {
  const { t } = useTranslation();
  const active = value.length > 0;
  return (
    <Popover position="bottom-start" withArrow={false} offset={4} trapFocus>
      <Popover.Target>
        <Button
          data-testid={testId}
          variant={active ? 'light' : 'default'}
          color={active ? 'accent' : 'gray'}
          rightSection={<IconChevronDown size={12} />}
          className="filter-button"
        >
          {label}
          {active && (
            <Badge size="xs" variant="filled" ml={6} circle>
              {value.length}
            </Badge>
          )}
        </Button>
      </Popover.Target>
      <Popover.Dropdown p={6} miw={180} data-testid={`${testId}-menu`}>
        <Group justify="space-between" px={4} pb={4} mb={4} className="filter-menu-head">
          <Text size="xs" c="dimmed">
            {label}
          </Text>
          <Group gap={4}>
            <UnstyledButton className="link-button" onClick={() => onChange(options.map((o) => o.value))}>
              {t('filter.selectAll')}
            </UnstyledButton>
            <Text size="xs" c="dimmed">
              ·
            </Text>
            <UnstyledButton className="link-button" onClick={() => onChange([])}>
              {t('filter.clear')}
            </UnstyledButton>
          </Group>
        </Group>
        <Stack gap={2}>
          {options.map((option) => (
            <Checkbox
              key={option.value}
              size="xs"
              className="filter-option"
              label={
                <Group gap={6} wrap="nowrap">
                  {option.color && <span className="color-dot" style={{ background: `var(--mantine-color-${option.color}-6)` }} />}
                  <span>{option.label}</span>
                </Group>
              }
              checked={value.includes(option.value)}
              onChange={(event) =>
                onChange(
                  event.currentTarget.checked ? [...value, option.value] : value.filter((v) => v !== option.value),
                )
              }
            />
          ))}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}

export interface FilterBarProps {
  value: FilterState;
  onChange: (next: FilterState) => void;
  total: number | null;
  loading: boolean;
  extra?: ReactNode;
}

export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(function FilterBar(
  { value, onChange, total, loading },
  searchRef,
) {
  const { t } = useTranslation();
  const { list: categories, name: categoryName } = useCategories();
  const set = <K extends keyof FilterState>(key: K, next: FilterState[K]) => onChange({ ...value, [key]: next });

  const statusOptions: Option<IncidentStatus>[] = INCIDENT_STATUSES.map((s) => ({
    value: s,
    label: statusLabel(s, t),
    color: STATUS_COLORS[s],
  }));
  const priorityOptions: Option<Priority>[] = PRIORITIES.map((p) => ({
    value: p,
    label: priorityLabel(p, t),
    color: PRIORITY_COLORS[p],
  }));
  const categoryOptions: Option<string>[] = categories.map((c) => ({ value: c.code, label: categoryName(c.code) }));

  return (
    <div className="filter-bar">
      <Group gap={6} wrap="wrap" className="filter-row">
        <TextInput
          ref={searchRef}
          data-testid="search-input"
          className="search-input"
          size="xs"
          placeholder={t('list.searchPlaceholder')}
          leftSection={<IconSearch size={14} />}
          rightSectionWidth={value.text ? 28 : 34}
          rightSection={
            value.text ? (
              <CloseButton size="xs" aria-label={t('filter.clear')} onClick={() => set('text', '')} />
            ) : (
              <Kbd className="search-kbd">/</Kbd>
            )
          }
          value={value.text}
          onChange={(event) => set('text', event.currentTarget.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              if (value.text) set('text', '');
              else event.currentTarget.blur();
              event.stopPropagation();
            }
          }}
          maxLength={200}
          spellCheck={false}
        />
        <FilterMenu testId="filter-status" label={t('filter.status')} options={statusOptions} value={value.statuses} onChange={(v) => set('statuses', v)} />
        <FilterMenu testId="filter-category" label={t('filter.category')} options={categoryOptions} value={value.categories} onChange={(v) => set('categories', v)} />
        <FilterMenu testId="filter-priority" label={t('filter.priority')} options={priorityOptions} value={value.priorities} onChange={(v) => set('priorities', v)} />
        <DatePickerInput
          data-testid="filter-range"
          type="range"
          size="xs"
          className="range-input"
          allowSingleDateInRange
          clearable
          placeholder={t('filter.occurredPlaceholder')}
          leftSection={<IconCalendar size={14} />}
          valueFormat="YYYY-MM-DD"
          labelSeparator="~"
          value={value.range}
          onChange={(range) => set('range', [range[0] ?? null, range[1] ?? null])}
          maxDate={new Date()}
          popoverProps={{ position: 'bottom-end' }}
          aria-label={t('filter.occurred')}
        />
        {(value.grids.length > 0 || value.sources.length > 0) && (
          <Badge
            data-testid="filter-focus"
            variant="light"
            color="accent"
            size="lg"
            radius="sm"
            tt="none"
            rightSection={
              <CloseButton
                size="xs"
                variant="transparent"
                aria-label={t('filter.clearFocus')}
                onClick={() => onChange({ ...value, grids: [], sources: [] })}
              />
            }
          >
            {[
              value.grids.length ? t('filter.focusGrids', { grids: value.grids.join('、') }) : '',
              value.sources.length ? t('filter.focusSources', { sources: value.sources.map((s) => t(`source.${s}`)).join('、') }) : '',
            ]
              .filter(Boolean)
              .join(' · ')}
          </Badge>
        )}
        <Button
          data-testid="filter-overdue"
          variant={value.overdueOnly ? 'filled' : 'default'}
          color={value.overdueOnly ? 'red' : 'gray'}
          leftSection={<IconAlertTriangle size={13} />}
          onClick={() => set('overdueOnly', !value.overdueOnly)}
          aria-pressed={value.overdueOnly}
          className="filter-button"
        >
          {t('filter.overdueOnly')}
        </Button>
        <Tooltip label={t('filter.reset')}>
          <ActionIcon
            data-testid="filter-reset"
            size={30}
            variant="subtle"
            disabled={!hasActiveFilters(value)}
            onClick={() => onChange(EMPTY_FILTER)}
            aria-label={t('filter.reset')}
          >
            <IconFilterOff size={15} />
          </ActionIcon>
        </Tooltip>
        <Text data-testid="list-total" size="xs" c="dimmed" className="list-total" style={{ opacity: loading ? 0.6 : 1 }}>
          {total === null ? t('common.loading') : t('list.total', { n: total.toLocaleString() })}
        </Text>
      </Group>
    </div>
  );
});
