import { useState } from 'react';
import { ActionIcon, Button, Group, Modal, Select, Stack, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFolderOpen, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { BUILTIN_BASEMAP, type BasemapInfo } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { describeFailure } from '../../app/errors';

/** Choose the basemap (the built-in coastline or a file from the town's GIS office), load or remove a file. */
export function BasemapPanel({ active, basemaps }: { active: string; basemaps: BasemapInfo[] }) {
  const { t } = useTranslation();
  const client = useClient();
  const [open, setOpen] = useState(false);
  const [filePath, setFilePath] = useState('');
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = (error: unknown) => {
    const failure = describeFailure(error, t);
    notifications.show({ color: 'red', title: failure.title, message: failure.message });
  };

  const select = (id: string) => client.invoke('basemap.select', { id }).catch(fail);

  const add = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const info = await client.invoke('basemap.add', { path: filePath, name });
      await client.invoke('basemap.select', { id: info.id });
      notifications.show({ color: 'teal', message: t('map.basemap.loaded', { name: info.name }) });
      setOpen(false);
      setFilePath('');
      setName('');
    } catch (error) {
      setProblem(describeFailure(error, t).message);
    } finally {
      setBusy(false);
    }
  };

  const current = basemaps.find((b) => b.id === active);
  return (
    <Stack gap={6}>
      <Group gap={6} wrap="nowrap" align="flex-end">
        <Select
          size="xs"
          label={t('map.basemap.label')}
          data={[{ value: BUILTIN_BASEMAP, label: t('map.basemap.builtin') }, ...basemaps.map((b) => ({ value: b.id, label: b.name }))]}
          value={active}
          onChange={(v) => v && v !== active && select(v)}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="basemap-select"
          style={{ flex: 1 }}
        />
        {current && (
          <Tooltip label={t('map.basemap.remove')}>
            <ActionIcon variant="subtle" color="red" size="lg" onClick={() => client.invoke('basemap.remove', { id: current.id }).catch(fail)} aria-label={t('map.basemap.remove')}>
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Button size="xs" variant="default" leftSection={<IconFolderOpen size={14} />} onClick={() => setOpen(true)} data-testid="basemap-add-open">
        {t('map.basemap.add')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('map.basemap.addTitle')} size="lg">
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('map.basemap.help')}
          </Text>
          <TextInput
            label={t('map.basemap.path')}
            placeholder={t('map.basemap.pathPlaceholder')}
            value={filePath}
            onChange={(e) => {
              setFilePath(e.currentTarget.value);
              setProblem(null);
            }}
            error={problem}
            data-testid="basemap-path"
            required
          />
          <TextInput label={t('map.basemap.name')} placeholder={t('map.basemap.namePlaceholder')} value={name} onChange={(e) => setName(e.currentTarget.value)} maxLength={100} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {t('map.import.cancel')}
            </Button>
            <Button onClick={add} loading={busy} disabled={!filePath.trim()} data-testid="basemap-add-submit">
              {t('map.basemap.submit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
