import { useState } from 'react';
import { Button, Group, Modal, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconDatabase, IconDatabaseImport } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../transport/ClientProvider';
import { notifyFailure, notifySuccess } from '../../app/errors';

/** First start on an empty store: load the Guishan demo data set, or start empty. Asked once. */
export function DemoOffer({ opened, onDone }: { opened: boolean; onDone(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [busy, setBusy] = useState<'seed' | 'decline' | null>(null);

  const run = async (kind: 'seed' | 'decline') => {
    setBusy(kind);
    try {
      if (kind === 'seed') {
        const { created } = await client.invoke('demo.seed', {});
        notifySuccess(t('demo.loaded', { count: created }));
      } else {
        await client.invoke('demo.decline', {});
      }
      onDone();
    } catch (error) {
      notifyFailure(error, t);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={() => undefined}
      withCloseButton={false}
      closeOnClickOutside={false}
      closeOnEscape={false}
      size={500}
      classNames={{ title: 'modal-title' }}
    >
      <Stack gap="md" data-testid="demo-offer" p={4}>
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <ThemeIcon size={38} radius="md" variant="light">
            <IconDatabaseImport size={20} />
          </ThemeIcon>
          <div>
            <Text fw={600} size="lg">
              {t('demo.title')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('app.org')}
            </Text>
          </div>
        </Group>
        <Text size="sm" lh={1.65}>
          {t('demo.body')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('demo.note')}
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button
            variant="default"
            size="sm"
            leftSection={<IconDatabase size={15} />}
            onClick={() => void run('decline')}
            loading={busy === 'decline'}
            disabled={busy === 'seed'}
            data-testid="demo-decline"
          >
            {t('demo.decline')}
          </Button>
          <Button
            size="sm"
            leftSection={<IconDatabaseImport size={15} />}
            onClick={() => void run('seed')}
            loading={busy === 'seed'}
            disabled={busy === 'decline'}
            data-testid="demo-load"
            data-autofocus
          >
            {t('demo.load')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
