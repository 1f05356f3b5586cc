import { useCallback, useEffect, useMemo, useState } from 'react';
import { Button, Group, Loader, MantineProvider, Stack, Text } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Category } from '@shared';
import { useLanguage } from '../i18n';
import { ClientProvider, useClient, useConnection } from '../transport/ClientProvider';
import type { ObservableTransport } from '../transport/ws-transport';
import { CategoriesProvider } from '../features/incidents/common/categories';
import { SystemInfoProvider, type SystemInfo } from '../features/system/system-info';
import { describeFailure } from './errors';
import { Shell } from './Shell';
import { IncidentFilterProvider } from '../features/incidents/list/filter-context';
import { AnalysisWorkspace } from '../features/analysis/AnalysisWorkspace';
import { isAnalysisPage } from '../features/analysis/page';
import { cssVariablesResolver, theme } from './theme';
import { SessionGate } from '../features/people/session';
import { watchLoginGone } from '../features/people/watch-login';
import { RecoveryGate } from '../features/recovery/RecoveryGate';

export function App({ transport }: { transport: ObservableTransport }) {
  const { dayjsLocale } = useLanguage();
  // Every answer passes by the session gate's watch: "log in first" brings the login over the console.
  const watched = useMemo(() => watchLoginGone(transport), [transport]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="dark" forceColorScheme="dark">
      <DatesProvider settings={{ locale: dayjsLocale, firstDayOfWeek: 1, consistentWeeks: true }}>
        <Notifications position="bottom-right" limit={4} containerWidth={380} zIndex={1000} className="app-notifications" />
        <ClientProvider transport={watched.transport}>
          <RecoveryGate>
            <SessionGate onLoginGone={watched.onLoginGone}>
              <Bootstrap />
            </SessionGate>
          </RecoveryGate>
        </ClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}

/** Waits for the core (system.info, categories), then shows the console. */
function Bootstrap() {
  const { t } = useTranslation();
  const client = useClient();
  const { state, epoch } = useConnection();
  const [info, setInfo] = useState<SystemInfo | null>(null);
  const [categories, setCategories] = useState<Category[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const [nextInfo, nextCategories] = await Promise.all([
        client.invoke('system.info', {}),
        client.invoke('categories.list', {}),
      ]);
      setInfo(nextInfo);
      setCategories(nextCategories);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [client]);

  // Epoch 0: the socket has not opened yet; each (re)connection loads afresh.
  useEffect(() => {
    if (epoch > 0) void load();
  }, [load, epoch]);

  const refreshInfo = useCallback(async () => {
    try {
      setInfo(await client.invoke('system.info', {}));
    } catch {
      // Kept as it was; the next reconnect reloads it.
    }
  }, [client]);

  if (info && categories) {
    return (
      <SystemInfoProvider info={info} refresh={refreshInfo}>
        <CategoriesProvider categories={categories}>
          {isAnalysisPage() ? (
            <AnalysisWorkspace />
          ) : (
            <IncidentFilterProvider>
              <Shell />
            </IncidentFilterProvider>
          )}
        </CategoriesProvider>
      </SystemInfoProvider>
    );
  }

  const failure = error ? describeFailure(error, t) : null;
  return (
    <Stack className="boot-screen" align="center" justify="center" gap="sm" data-testid="boot-screen">
      <Text fw={600} size="lg">
        {t('app.name')}
      </Text>
      {failure && state === 'connected' ? (
        <>
          <Group>
            <IconAlertTriangle size={16} color="var(--mantine-color-red-6)" />
            <Text size="sm">{failure.title}</Text>
          </Group>
          <Text size="xs" c="dimmed" maw={420} ta="center">
            {failure.message}
          </Text>
          <Button variant="default" onClick={() => void load()}>
            {t('list.retry')}
          </Button>
        </>
      ) : (
        <>
          <Loader size="sm" type="dots" />
          <Text size="xs" c="dimmed">
            {t('app.loading')}
          </Text>
        </>
      )}
    </Stack>
  );
}
