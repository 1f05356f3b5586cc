import { useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Divider, Group, Modal, NumberInput, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ContractError, type DiscoveredDevice } from '@shared';
import { notifyFailure } from '../../app/errors';
import { useClient } from '../../transport/ClientProvider';
import { cameraErrorMessage, issueMessage } from './errors';

type Field = 'url' | 'username' | 'password' | 'name';

const fieldOf = (path: string): Field | undefined => {
  const last = path.replace(/^fields\./, '');
  return (['url', 'username', 'password', 'name'] as const).find((f) => f === last);
};

/** Add a camera by ONVIF address and credentials, or pick one found by WS-Discovery. */
export function AddCameraModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} size={560} title={t('cameras.add.title')} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {opened && <AddCameraForm onClose={onClose} />}
    </Modal>
  );
}

function AddCameraForm({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [url, setUrl] = useState('');
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const [multicast, setMulticast] = useState(true);
  const [probeHost, setProbeHost] = useState('');
  const [probePort, setProbePort] = useState<number | string>(3702);
  const [searching, setSearching] = useState(false);
  const [found, setFound] = useState<DiscoveredDevice[] | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    if (!url.trim()) return setErrors({ url: t('validation.required') });
    setBusy(true);
    try {
      const camera = await client.invoke('cameras.add', { url, username, password, fields: name.trim() ? { name } : {} });
      notifications.show({ color: 'teal', message: t('cameras.add.added', { name: camera.name }) });
      onClose();
    } catch (error) {
      if (error instanceof ContractError && (error.code === 'validation' || error.code === 'conflict')) {
        const next: Partial<Record<Field, string>> = {};
        const loose: string[] = [];
        for (const issue of error.issues) {
          const field = fieldOf(issue.path);
          if (field) next[field] ??= issueMessage(issue, t);
          else loose.push(issueMessage(issue, t));
        }
        if (error.code === 'conflict') next.url = cameraErrorMessage(error, t);
        setErrors(next);
        if (loose.length) setFormError(loose.join('；'));
      } else notifyFailure(error, t);
    } finally {
      setBusy(false);
    }
  }

  async function search() {
    setSearching(true);
    setFound(null);
    try {
      const port = Number(probePort);
      const directed = probeHost.trim() && Number.isInteger(port) && port > 0 ? { host: probeHost.trim(), port } : null;
      const result = await client.invoke('cameras.discover', { multicast, directed, timeoutMs: 1_500 });
      setFound(result.devices);
    } catch (error) {
      notifyFailure(error, t);
    } finally {
      setSearching(false);
    }
  }

  return (
    <Stack gap="sm">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput label={t('cameras.add.url')} description={t('cameras.add.urlHint')} value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={errors.url} data-autofocus data-testid="camera-url" />
          <Group grow>
            <TextInput label={t('cameras.add.username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={errors.username} data-testid="camera-username" />
            <PasswordInput label={t('cameras.add.password')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={errors.password} data-testid="camera-password" />
          </Group>
          <Text size="xs" c="dimmed">
            {t('cameras.add.passwordHint')}
          </Text>
          <TextInput label={t('cameras.add.name')} description={t('cameras.add.nameHint')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-testid="camera-add-name" />
          {formError && <Alert color="red">{formError}</Alert>}
          <Group justify="flex-end">
            <Button type="submit" loading={busy} data-testid="camera-add-submit">
              {busy ? t('cameras.add.connecting') : t('cameras.add.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      <Divider label={t('cameras.add.discoverTitle')} labelPosition="left" />
      <Group align="flex-end" gap="xs">
        <TextInput label={t('cameras.add.directedHost')} placeholder="127.0.0.1" value={probeHost} onChange={(e) => setProbeHost(e.currentTarget.value)} w={180} data-testid="probe-host" />
        <NumberInput label={t('cameras.add.directedPort')} value={probePort} onChange={setProbePort} min={1} max={65535} w={100} hideControls data-testid="probe-port" />
        <Button variant="light" onClick={search} loading={searching} data-testid="discover">
          {t('cameras.add.discover')}
        </Button>
      </Group>
      <Checkbox label={t('cameras.add.multicast')} checked={multicast} onChange={(e) => setMulticast(e.currentTarget.checked)} data-testid="probe-multicast" />
      {found && found.length === 0 && <Text size="sm" c="dimmed">{t('cameras.add.noneFound')}</Text>}
      {found?.map((device) => (
        <Group key={device.url} justify="space-between" className="discovered" data-testid="discovered">
          <div>
            <Text size="sm">{device.name || device.hardware || device.url}</Text>
            <Text size="xs" c="dimmed">
              {device.url}
            </Text>
          </div>
          {device.cameraId ? (
            <Badge variant="light" color="gray">
              {t('cameras.add.known')}
            </Badge>
          ) : (
            <Button size="xs" variant="subtle" onClick={() => (setUrl(device.url), setName((n) => n || device.name))}>
              {t('cameras.add.use')}
            </Button>
          )}
        </Group>
      ))}
    </Stack>
  );
}
