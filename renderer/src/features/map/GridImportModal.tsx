import { useState } from 'react';
import { Button, FileInput, Group, List, Modal, Select, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconFileUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { COORDINATE_SYSTEMS, ContractError, type CoordinateSystem } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { describeFailure, issueMessage } from '../../app/errors';

const SHOWN_PROBLEMS = 5;

/** Replaces the grid set from a GeoJSON file; a refused file is explained feature by feature and changes nothing. */
export function GridImportModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState<CoordinateSystem>('wgs84');
  const [problems, setProblems] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const close = () => {
    setFile(null);
    setProblems([]);
    onClose();
  };

  const submit = async () => {
    if (!file) return;
    setBusy(true);
    setProblems([]);
    try {
      let text: string;
      try {
        text = await file.text();
      } catch {
        setProblems([t('map.import.readFailed')]);
        return;
      }
      const result = await client.invoke('grids.import', { geojson: text, crs });
      notifications.show({ color: 'teal', message: t('map.import.done', result) });
      close();
    } catch (error) {
      if (error instanceof ContractError && error.code === 'validation') {
        setProblems(error.issues.length ? error.issues.map((issue) => issueMessage(issue, t)) : [describeFailure(error, t).message]);
      } else {
        setProblems([describeFailure(error, t).message]);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('map.import.title')} size="lg">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('map.import.help')}
        </Text>
        <FileInput
          label={t('map.import.file')}
          placeholder={t('map.import.filePlaceholder')}
          accept=".geojson,.json,application/geo+json,application/json"
          value={file}
          onChange={(f) => {
            setFile(f);
            setProblems([]);
          }}
          leftSection={<IconFileUpload size={16} />}
          data-testid="grid-import-file"
          error={problems.length ? t('map.import.refused') : undefined}
        />
        {problems.length > 0 && (
          <List size="sm" c="red.4" data-testid="grid-import-problems" spacing={2}>
            {problems.slice(0, SHOWN_PROBLEMS).map((p, i) => (
              <List.Item key={i}>{p}</List.Item>
            ))}
            {problems.length > SHOWN_PROBLEMS && <List.Item>{t('map.import.more', { count: problems.length - SHOWN_PROBLEMS })}</List.Item>}
          </List>
        )}
        <Select
          label={t('map.crs.label')}
          data={COORDINATE_SYSTEMS.map((c) => ({ value: c, label: t(`map.crs.${c}`) }))}
          value={crs}
          onChange={(v) => v && setCrs(v as CoordinateSystem)}
          allowDeselect={false}
          data-testid="grid-import-crs"
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={close} disabled={busy}>
            {t('map.import.cancel')}
          </Button>
          <Button onClick={submit} loading={busy} disabled={!file} data-testid="grid-import-submit">
            {t('map.import.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
