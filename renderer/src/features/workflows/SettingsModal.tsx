import { useEffect, useState, type FormEvent } from 'react';
import { Button, Group, Modal, NumberInput, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { WorkflowSettings, type WorkflowSettings as Settings } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { notifySuccess } from '../../app/errors';
import { notifyWorkflowFailure, serverPathErrors, zodPathErrors } from './common';
import { useCosign } from '../people/cosign';

const FIELDS: readonly (keyof Settings)[] = [
  'simpleDays',
  'ordinaryDays',
  'hardDays',
  'maxDays',
  'policeAckMinutes',
  'policeArrivalMinutes',
  'mediationTermDays',
  'quarantineTermDays',
];

/** The supervision terms and workflow limits: seeded from practice (0 / 3 / 7 / 15 days…), editable here. */
export function SettingsModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('wf.settings.title')} size={560} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {/* Mounted while open only: the co-signer's password never outlives the dialog. */}
      <SettingsForm onClose={onClose} />
    </Modal>
  );
}

function SettingsForm({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [settings, setSettings] = useState<Settings | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  // A settings change is confirmed by a second person on this form (四眼原则).
  const cosign = useCosign('settings.change');

  useEffect(() => {
    client.invoke('workflows.settings', {}).then(setSettings, (error: unknown) => notifyWorkflowFailure(error, t));
  }, [client, t]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!settings) return;
    const parsed = WorkflowSettings.safeParse(settings);
    if (!parsed.success) {
      setErrors(zodPathErrors(parsed.error, t, settings).fields);
      return;
    }
    setBusy(true);
    try {
      await client.invoke('workflows.updateSettings', { settings, cosign: cosign.value });
      notifySuccess(t('wf.settings.saved'));
      onClose();
    } catch (error) {
      if (cosign.handle(error)) return;
      const mapped = serverPathErrors(error, 'settings', t);
      if (mapped) setErrors(mapped.fields);
      else notifyWorkflowFailure(error, t);
    } finally {
      setBusy(false);
    }
  }

  if (!settings) return null;
  return (
    <form onSubmit={submit} noValidate data-testid="settings-form">
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('wf.settings.hint')}
        </Text>
        <SimpleGrid cols={2}>
          {FIELDS.map((field) => (
            <NumberInput
              key={field}
              label={t(`wf.settings.${field}`)}
              value={settings[field]}
              onChange={(v) => setSettings((s) => (s ? { ...s, [field]: typeof v === 'number' ? v : Number.NaN } : s))}
              min={0}
              allowDecimal={false}
              error={errors[field]}
              data-testid={`settings-${field}`}
            />
          ))}
        </SimpleGrid>
        {cosign.fields}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="settings-save">
            {t('wf.directory.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
