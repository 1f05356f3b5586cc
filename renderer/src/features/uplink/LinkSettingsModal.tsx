import { useEffect, useState } from 'react';
import { Button, Group, Modal, PasswordInput, SegmentedControl, Select, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ContractError, type FieldIssue, type LinkConfigView } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { issueMessage, notifyFailure, notifySuccess } from '../../app/errors';
import { useCosign } from '../people/cosign';

interface Form {
  url: string;
  town: string;
  username: string;
  password: string;
  ca: string;
  cert: string;
  key: string;
  mqttVersion: '4' | '5';
  drills: 'marked' | 'withheld';
}

const EMPTY: Form = { url: 'mqtts://', town: '', username: '', password: '', ca: '', cert: '', key: '', mqttVersion: '5', drills: 'marked' };

/** Where the city broker is and how this town proves who it is; secrets are write-only. */
export function LinkSettingsModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [form, setForm] = useState<Form>(EMPTY);
  const [stored, setStored] = useState<LinkConfigView | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [saving, setSaving] = useState(false);
  // A settings change is confirmed by a second person on this form (四眼原则).
  const cosign = useCosign('settings.change', 'cosign');

  useEffect(() => {
    if (!opened) return;
    setErrors({});
    void client.invoke('uplink.config', {}).then(
      (config) => {
        setStored(config);
        setForm(
          config
            ? { ...EMPTY, url: config.url, town: config.town, username: config.username, ca: config.ca, cert: config.cert, mqttVersion: config.mqttVersion === 5 ? '5' : '4', drills: config.drills }
            : EMPTY,
        );
      },
      (error: unknown) => notifyFailure(error, t),
    );
  }, [opened, client, t]);

  const field = (name: keyof Form) => ({
    value: form[name],
    error: errors[name],
    onChange: (e: { currentTarget: { value: string } }) => {
      setForm((f) => ({ ...f, [name]: e.currentTarget.value }));
      // The field's refusal goes once it is edited; the next save checks it again.
      setErrors((current) => (current[name] ? Object.fromEntries(Object.entries(current).filter(([key]) => key !== name)) : current));
    },
  });

  async function save() {
    setSaving(true);
    setErrors({});
    try {
      await client.invoke('uplink.configure', {
        config: {
          url: form.url.trim(),
          town: form.town.trim(),
          username: form.username,
          // Empty keeps what is stored (the form never sees stored secrets).
          password: form.password === '' && stored?.hasPassword ? undefined : form.password,
          ca: form.ca.trim(),
          cert: form.cert.trim(),
          key: form.key.trim() === '' && stored?.hasKey ? undefined : form.key.trim() || undefined,
          mqttVersion: form.mqttVersion === '5' ? 5 : 4,
          drills: form.drills,
        },
        cosign: cosign.value,
      });
      notifySuccess(t('link.settings.saved'));
      onClose();
    } catch (error) {
      if (cosign.handle(error)) return;
      if (error instanceof ContractError && error.code === 'validation' && error.issues.length) {
        const fields: Record<string, string> = {};
        for (const issue of error.issues as FieldIssue[]) {
          const key = issue.path.replace(/^config\./, '');
          fields[key] ??= issueMessage(issue, t);
        }
        setErrors(fields);
      } else notifyFailure(error, t);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal opened={opened} onClose={onClose} title={t('link.settings.title')} size="lg" data-testid="link-settings">
      <Stack gap="sm">
        <Group grow align="flex-start">
          <TextInput label={t('link.settings.url')} description={t('link.settings.urlHint')} {...field('url')} data-testid="link-url" />
          <TextInput label={t('link.settings.town')} {...field('town')} data-testid="link-town" maw={160} />
        </Group>
        <Group grow align="flex-start">
          <TextInput label={t('link.settings.username')} {...field('username')} data-testid="link-username" />
          <PasswordInput
            label={t('link.settings.password')}
            placeholder={stored?.hasPassword ? t('link.settings.passwordKeep') : ''}
            {...field('password')}
            data-testid="link-password"
          />
        </Group>
        <Textarea label={t('link.settings.ca')} autosize minRows={2} maxRows={5} className="link-mono" {...field('ca')} data-testid="link-ca" />
        <Group grow align="flex-start">
          <Textarea label={t('link.settings.cert')} autosize minRows={2} maxRows={4} {...field('cert')} />
          <Textarea label={t('link.settings.key')} placeholder={stored?.hasKey ? t('link.settings.keyKeep') : ''} autosize minRows={2} maxRows={4} {...field('key')} />
        </Group>
        <Group grow align="flex-start">
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('link.settings.mqttVersion')}
            </Text>
            <SegmentedControl
              value={form.mqttVersion}
              onChange={(v) => setForm((f) => ({ ...f, mqttVersion: v as Form['mqttVersion'] }))}
              data={[
                { value: '5', label: 'MQTT 5' },
                { value: '4', label: 'MQTT 3.1.1' },
              ]}
            />
          </Stack>
          <Select
            label={t('link.settings.drills')}
            value={form.drills}
            onChange={(v) => v && setForm((f) => ({ ...f, drills: v as Form['drills'] }))}
            data={[
              { value: 'marked', label: t('link.settings.drillsMarked') },
              { value: 'withheld', label: t('link.settings.drillsWithheld') },
            ]}
            allowDeselect={false}
          />
        </Group>
        <Text size="xs" c="dimmed">
          {t('link.settings.secretsHint')}
        </Text>
        {cosign.fields}
        <Group justify="flex-end">
          <Button onClick={() => void save()} loading={saving} data-testid="link-save">
            {t('link.settings.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
