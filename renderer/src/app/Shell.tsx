import { useCallback, useEffect, useMemo, useState } from 'react';
import { AppShell, Button, Group, Kbd, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { IconBuildingLighthouse, IconDatabaseOff, IconPlugConnectedX, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '@shared';
import { useLanguage } from '../i18n';
import { useConnection } from '../transport/ClientProvider';
import { IncidentForm } from '../features/incidents/form/IncidentForm';
import { DemoOffer } from '../features/demo/DemoOffer';
import { ShortcutsHelp } from '../features/shortcuts/ShortcutsHelp';
import { AnalysisButton, FocusReceiver } from '../features/analysis/OperatorLink';
import { useSystemInfo } from '../features/system/system-info';
import { ConnectionIndicator } from './ConnectionIndicator';
import { LinkIndicator } from '../features/uplink/LinkIndicator';
import { reasonMessage } from './errors';
import { StatusBar } from './StatusBar';
import { JobsPanel } from '../features/jobs/JobsPanel';
import { insideDialog, plainShortcut } from './keyboard';
import { NavigationProvider, type CameraRequest, type Navigation, type NewIncidentPrefill } from './navigation';
import { VIEWS as ALL_VIEWS } from './views';
import { usePermission, useSession } from '../features/people/session';
import { PersonMenu } from '../features/people/PersonMenu';
import './shell.css';

/** Alt+1…9 switch views; N (anywhere but typing or a dialog) opens the new-incident form. */
export function Shell() {
  const { t } = useTranslation();
  const { language, toggle } = useLanguage();
  const { info, refresh } = useSystemInfo();
  const { session } = useSession();
  // Views a role cannot use are not shown (staff accounts for administrators, the audit view for leaders).
  const VIEWS = useMemo(() => ALL_VIEWS.filter((v) => !v.permission || session.permissions.includes(v.permission)), [session.permissions]);
  const canReport = usePermission('incidents.report');
  const connection = useConnection();

  const [view, setView] = useState<string>(VIEWS[0]!.id);
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set([VIEWS[0]!.id]));
  const go = useCallback((next: string) => {
    if (!VIEWS.some((v) => v.id === next)) return;
    setView(next);
    setVisited((seen) => (seen.has(next) ? seen : new Set([...seen, next])));
  }, [VIEWS]);

  useEffect(() => {
    if (!VIEWS.some((v) => v.id === view)) setView(VIEWS[0]!.id);
  }, [VIEWS, view]);

  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [creating, setCreating] = useState<{ prefill?: NewIncidentPrefill } | null>(null);
  const [cameraRequest, setCameraRequest] = useState<CameraRequest | null>(null);
  const [demoOpen, setDemoOpen] = useState(info.offerDemo && session.permissions.includes('demo.manage'));
  useEffect(() => setDemoOpen(info.offerDemo), [info.offerDemo]);

  const navigation = useMemo<Navigation>(
    () => ({
      view,
      go,
      selectedIncidentId: selectedId,
      openIncident: (id) => {
        setSelectedId(id);
        if (id) go('incidents');
      },
      newIncident: (prefill) => {
        if (canReport.allowed) setCreating({ prefill });
      },
      openCamera: (cameraId) => {
        setCameraRequest((previous) => ({ cameraId, seq: (previous?.seq ?? 0) + 1 }));
        go('cameras');
      },
      cameraRequest,
    }),
    [view, go, selectedId, cameraRequest, canReport.allowed],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^[1-9]$/.test(event.key)) {
        const target = VIEWS[Number(event.key) - 1];
        if (target && !insideDialog(event.target)) {
          event.preventDefault();
          go(target.id);
        }
        return;
      }
      if (!plainShortcut(event)) return;
      if (event.target instanceof HTMLElement && event.target.closest('[role="listbox"], [role="menu"], .mantine-Popover-dropdown')) return;
      if ((event.key === 'n' || event.key === 'N') && canReport.allowed) {
        event.preventDefault();
        setCreating({});
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [go, VIEWS, canReport.allowed]);

  return (
    <NavigationProvider value={navigation}>
    <FocusReceiver />
    <AppShell
      header={{ height: 46 }}
      footer={{ height: 26 }}
      navbar={VIEWS.length > 1 ? { width: 64, breakpoint: 0 } : undefined}
      padding={0}
      className="shell"
    >
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
            <LinkIndicator />
            <ConnectionIndicator />
            <div className="header-sep" />
            <Tooltip label={canReport.reason ?? <Group gap={6}>{t('header.newIncident')}<Kbd>N</Kbd></Group>}>
              <Button
                data-testid="new-incident"
                leftSection={<IconPlus size={14} stroke={2.2} />}
                onClick={() => setCreating({})}
                disabled={!canReport.allowed}
              >
                {t('header.newIncident')}
              </Button>
            </Tooltip>
            <AnalysisButton />
            <ShortcutsHelp />
            <PersonMenu />
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

      {VIEWS.length > 1 && (
        <AppShell.Navbar className="app-nav" aria-label={t('views.navigation')}>
          {VIEWS.map(({ id, labelKey, icon: Icon }, index) => (
            <Tooltip key={id} label={<Group gap={6}>{t(labelKey)}<Kbd>Alt+{index + 1}</Kbd></Group>} position="right">
              <UnstyledButton
                className="nav-item"
                data-testid={`nav-${id}`}
                data-active={id === view || undefined}
                aria-current={id === view ? 'page' : undefined}
                onClick={() => go(id)}
              >
                <Icon size={20} stroke={1.6} />
                <span className="nav-label">{t(labelKey)}</span>
              </UnstyledButton>
            </Tooltip>
          ))}
        </AppShell.Navbar>
      )}

      <AppShell.Main className="app-main">
        {connection.state === 'reconnecting' && (
          <div className="offline-banner" role="status" data-testid="offline-banner">
            <IconPlugConnectedX size={14} />
            {t('connection.tooltipReconnecting')}
          </div>
        )}
        {info.readOnly && (
          <div className="offline-banner read-only-banner" role="alert" data-testid="read-only-banner">
            <IconDatabaseOff size={14} />
            {reasonMessage('store.read_only', { dataDir: info.dataDir, free: info.readOnly.free }, t)}
          </div>
        )}
        <div className="views">
          {VIEWS.filter((v) => visited.has(v.id)).map(({ id, component: View }) => (
            <div key={id} className="view" data-testid={`view-${id}`} hidden={id !== view}>
              <View active={id === view} />
            </div>
          ))}
        </div>
      </AppShell.Main>

      <AppShell.Footer className="app-footer">
        <StatusBar />
      </AppShell.Footer>
      <JobsPanel />

      <IncidentForm
        opened={creating !== null}
        incident={null}
        prefill={creating?.prefill}
        onClose={() => setCreating(null)}
        onSaved={(incident: Incident) => {
          setCreating(null);
          navigation.openIncident(incident.id);
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
    </NavigationProvider>
  );
}
