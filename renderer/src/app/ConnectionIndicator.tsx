import { Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useConnection } from '../transport/ClientProvider';

export function ConnectionIndicator() {
  const { t } = useTranslation();
  const { kind, state } = useConnection();
  const kindLabel = kind === 'ipc' ? t('connection.kindIpc') : t('connection.kindWebsocket');
  const label = state === 'connected' ? t('connection.connected') : state === 'connecting' ? t('connection.connecting') : t('connection.reconnecting');
  return (
    <Tooltip label={state === 'connected' ? t('connection.tooltipConnected', { kind: kindLabel }) : t('connection.tooltipReconnecting')}>
      <Group gap={6} wrap="nowrap" className="connection" data-state={state} data-testid="connection-status">
        <span className="connection-dot" />
        <Text size="xs" className="connection-label">
          {label}
        </Text>
      </Group>
    </Tooltip>
  );
}
