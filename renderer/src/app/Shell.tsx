import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { AppShell, Button, Group, Kbd, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { IconBuildingLighthouse, IconPlugConnectedX, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '@shared';
import { useLanguage } from '../i18n';
import { useConnection } from '../transport/ClientProvider';
import { IncidentList, type IncidentListHandle } from '../features/incidents/list/IncidentList';
import { FilterBar } from '../features/incidents/list/FilterBar';
import { EMPTY_FILTER, hasActiveFilters, toContractFilter, type FilterState } from '../features/incidents/list/filter-model';
import { IncidentDetail } from '../features/incidents/detail/IncidentDetail';
import { IncidentForm } from '../features/incidents/form/IncidentForm';
import { DemoOffer } from '../features/demo/DemoOffer';
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp';
import { useSystemInfo } from '../features/system/system-info';
import { ConnectionIndicator } from './ConnectionIndicator';
import { StatusBar } from './StatusBar';
import './shell.css';

const SEARCH_DEBOUNCE_MS = 250;

/** Is the keyboard focus in something that takes typing? Then single-key shortcuts stay quiet. */
function typingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (target as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'submit', 'reset'].includes(type);
  }
  return false;
}

/**
 * A modal is open: shortcuts belong to it. Mantine traps focus inside an open modal, so the key
 * event comes from within it; a modal that is only fading out no longer holds the focus.
 */
function insideDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"]') !== null;
}

export function Shell() {
  const { t } = useTranslation();
  const { language, toggle } = useLanguage();
  const { info, refresh } = useSystemInfo();
  const narrow = useMediaQuery('(max-width: 1100px)') ?? false;
  const connection = useConnection();

  const [filterState, setFilterState] = useState<FilterState>(EMPTY_FILTER);
  const [debouncedText] = useDebouncedValue(filterState.text, SEARCH_DEBOUNCE_MS);
  const filter = useMemo(
    () => toContractFilter(filterState, debouncedText),
    // The text goes through the debounce; everything else applies at once.
    [filterState.statuses, filterState.categories, filterState.priorities, filterState.range, filterState.overdueOnly, debouncedText],
  );
  const filterKey = useMemo(() => JSON.stringify(filter), [filter]);
  const [listTotal, setListTotal] = useState<{ total: number | null; loading: boolean }>({ total: null, loading: true });
  const onTotal = useCallback((total: number | null, loading: boolean) => setListTotal({ total, loading }), []);

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [demoOpen, setDemoOpen] = useState(info.offerDemo);
  useEffect(() => setDemoOpen(info.offerDemo), [info.offerDemo]);

  const listRef = useRef<IncidentListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);

  const openIncident = useCallback((id: string) => setSelectedId(id), []);
  const closeDetail = useCallback(() => {
    setSelectedId(null);
    listRef.current?.focus();
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (insideDialog(event.target)) return;
      if (typingTarget(event.target)) return;
      // Inside popovers, menus and listboxes the keys are theirs.
      if (event.target instanceof HTMLElement && event.target.closest('[role="listbox"], [role="menu"], .mantine-Popover-dropdown')) return;
      switch (event.key) {
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'n':
        case 'N':
          event.preventDefault();
          setCreating(true);
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          if (event.target instanceof HTMLElement && event.target.closest('button, a, [role="tab"], [role="radio"]') && !event.target.closest('.incident-list')) return;
          event.preventDefault();
          listRef.current?.move(event.key === 'ArrowDown' ? 1 : -1);
          break;
        case 'Enter':
          if (event.target instanceof HTMLElement && event.target.closest('button, a, input, textarea, [role="button"]')) return;
          event.preventDefault();
          listRef.current?.openCursor();
          break;
        case 'Escape':
          if (narrow && selectedId) {
            event.preventDefault();
            closeDetail();
          }
          break;
        default:
          break;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [narrow, selectedId, closeDetail]);

  const showList = !narrow || selectedId === null;
  const showDetail = !narrow || selectedId !== null;

  return (
    <AppShell header={{ height: 46 }} footer={{ height: 26 }} padding={0} className="shell">
      <AppShell.Header className="app-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap={10} wrap="nowrap" miw={0}>
            <div className="brand-mark" aria-hidden>
              <IconBuildingLighthouse size={18} stroke={1.7} />
            </div>
            <div className="brand-text">
              <Text className="brand-name" data-testid="app-name">
                {t('app.name')}
              </Text>
            </div>
          </Group>
          <Group gap={10} wrap="nowrap">
            <ConnectionIndicator />
            <div className="header-sep" />
            <Tooltip label={<Group gap={6}>{t('header.newIncident')}<Kbd>N</Kbd></Group>}>
              <Button
                data-testid="new-incident"
                leftSection={<IconPlus size={14} stroke={2.2} />}
                onClick={() => setCreating(true)}
              >
                {t('header.newIncident')}
              </Button>
            </Tooltip>
            <ShortcutsHelp />
            <Tooltip label={t('header.language')}>
              <UnstyledButton
                className="lang-toggle"
                data-testid="lang-toggle"
                onClick={toggle}
                aria-label={t('header.language')}
              >
                <span data-active={language === 'zh-CN' || undefined}>中文</span>
                <span data-active={language === 'en' || undefined}>English</span>
              </UnstyledButton>
            </Tooltip>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Main className="app-main">
        {connection.state === 'reconnecting' && (
          <div className="offline-banner" role="status" data-testid="offline-banner">
            <IconPlugConnectedX size={14} />
            {t('connection.tooltipReconnecting')}
          </div>
        )}
        <div className="workspace" data-narrow={narrow || undefined}>
          {showList && (
            <section className="list-pane">
              <FilterBar
                ref={searchRef}
                value={filterState}
                onChange={setFilterState}
                total={listTotal.total}
                loading={listTotal.loading}
              />
              <IncidentList
                ref={listRef}
                filter={filter}
                filterKey={filterKey}
                selectedId={selectedId}
                onOpen={openIncident}
                filtered={hasActiveFilters(filterState)}
                onClearFilters={() => setFilterState(EMPTY_FILTER)}
                onTotal={onTotal}
              />
            </section>
          )}
          {showDetail && (
            <section className="detail-pane">
              <IncidentDetail id={selectedId} narrow={narrow} onClose={closeDetail} />
            </section>
          )}
        </div>
      </AppShell.Main>

      <AppShell.Footer className="app-footer">
        <StatusBar />
      </AppShell.Footer>

      <IncidentForm
        opened={creating}
        incident={null}
        onClose={() => setCreating(false)}
        onSaved={(incident: Incident) => {
          setCreating(false);
          setSelectedId(incident.id);
        }}
      />
      <DemoOffer
        opened={demoOpen}
        onDone={() => {
          setDemoOpen(false);
          void refresh();
        }}
      />
    </AppShell>
  );
}
