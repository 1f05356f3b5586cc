import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Group, Image, Modal, SegmentedControl, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { base64DataUrl, type Camera } from '@shared';
import { useNavigation } from '../../../app/navigation';
import { useClient } from '../../../transport/ClientProvider';
import { cameraErrorMessage, notifyCameraFailure } from '../errors';
import { reasonMessage } from '../../../app/errors';
import { IncidentPicker, type PickedIncident } from './IncidentPicker';

/** The camera's own picture (base64, kept only once attached), while it is being taken, or why not. */
type CameraPicture = { state: 'loading' } | { state: 'ready'; dataBase64: string; src: string; source: 'camera' | 'stream'; refused: string | null } | { state: 'failed'; message: string };

export interface SnapshotRequest {
  camera: Camera;
  /** What the tile showed when the operator clicked (base64 JPEG), or null when it showed nothing yet. */
  tileFrame: string | null;
}

/**
 * A picture of a camera for an incident: the camera's own snapshot (its ONVIF snapshot URI, full
 * resolution; a frame of its main stream when it has none) or the frame the tile showed, attached
 * to a new incident made from the camera or to an open one found by code or title.
 */
export function SnapshotModal({ request, onClose }: { request: SnapshotRequest | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={request !== null} onClose={onClose} size={640} title={t('cameras.snapshot.title')} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {request && <SnapshotForm key={`${request.camera.id}:${request.tileFrame?.length ?? 0}`} request={request} onClose={onClose} />}
    </Modal>
  );
}

function SnapshotForm({ request, onClose }: { request: SnapshotRequest; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const { openIncident } = useNavigation();
  const { camera, tileFrame } = request;
  const [cameraPicture, setCameraPicture] = useState<CameraPicture>({ state: 'loading' });
  const [choice, setChoice] = useState<'camera' | 'tile'>(tileFrame ? 'tile' : 'camera');
  const [target, setTarget] = useState<'new' | 'existing'>('new');
  const [incident, setIncident] = useState<PickedIncident | null>(null);
  const [busy, setBusy] = useState(false);
  const chosenByOperator = useRef(false);

  useEffect(() => {
    let live = true;
    client
      .invoke('cameras.snapshot', { cameraId: camera.id })
      .then(({ mime, dataBase64, source, refused }) => {
        if (!live) return;
        // The camera's snapshot URI was not asked (credentials only to its own host): say why under the frame.
        const why = refused ? reasonMessage(refused.reason, refused.params, t) : null;
        setCameraPicture({ state: 'ready', dataBase64, source, refused: why, src: base64DataUrl(mime, dataBase64) });
        // The camera's own picture (full resolution) is the better one, unless the operator chose already.
        if (!chosenByOperator.current) setChoice('camera');
      })
      .catch((error: unknown) => {
        if (!live) return;
        setCameraPicture({ state: 'failed', message: cameraErrorMessage(error, t) });
        setChoice('tile');
      });
    return () => {
      live = false;
    };
  }, [client, camera.id, t]);

  const usable = choice === 'camera' ? cameraPicture.state === 'ready' : tileFrame !== null;
  const canSubmit = usable && (target === 'new' || incident !== null) && !busy;

  async function submit() {
    setBusy(true);
    try {
      const image = choice === 'camera' && cameraPicture.state === 'ready' ? cameraPicture.dataBase64 : tileFrame!;
      const result = await client.invoke('cameras.snapshotToIncident', {
        cameraId: camera.id,
        image,
        ...(target === 'existing' && incident ? { incidentId: incident.id } : {}),
      });
      onClose();
      openIncident(result.id);
    } catch (error) {
      notifyCameraFailure(error, t);
    } finally {
      setBusy(false);
    }
  }

  const preview =
    choice === 'tile' ? (
      tileFrame ? <Image src={base64DataUrl('image/jpeg', tileFrame)} alt={camera.name} radius="sm" mah={300} fit="contain" data-testid="snapshot-preview" /> : null
    ) : cameraPicture.state === 'ready' ? (
      <Image src={cameraPicture.src} alt={camera.name} radius="sm" mah={300} fit="contain" data-testid="snapshot-preview" />
    ) : cameraPicture.state === 'loading' ? (
      <Skeleton h={300} />
    ) : null;

  return (
    <Stack gap="sm" data-testid="snapshot-dialog">
      <Group justify="space-between">
        <Text fw={600}>{camera.name}</Text>
        <SegmentedControl
          size="xs"
          value={choice}
          onChange={(value) => {
            chosenByOperator.current = true;
            setChoice(value as 'camera' | 'tile');
          }}
          data={[
            { value: 'camera', label: t('cameras.snapshot.fromCamera'), disabled: cameraPicture.state === 'failed' },
            { value: 'tile', label: t('cameras.snapshot.fromTile'), disabled: !tileFrame },
          ]}
          data-testid="snapshot-source"
        />
      </Group>
      {preview}
      <Text size="xs" c="dimmed" data-testid="snapshot-source-note">
        {choice === 'tile'
          ? t('cameras.snapshot.tileNote')
          : cameraPicture.state === 'ready'
            ? t(cameraPicture.source === 'camera' ? 'cameras.snapshot.onvifNote' : 'cameras.snapshot.streamNote')
            : t('cameras.snapshot.taking')}
      </Text>
      {cameraPicture.state === 'ready' && cameraPicture.refused && (
        <Alert color="yellow" variant="light" p="xs" data-testid="snapshot-refused">
          {cameraPicture.refused}
        </Alert>
      )}
      {cameraPicture.state === 'failed' && (
        <Alert color="yellow" variant="light" p="xs">
          {t('cameras.snapshot.cameraFailed', { message: cameraPicture.message })}
        </Alert>
      )}
      <SegmentedControl
        value={target}
        onChange={(value) => setTarget(value as 'new' | 'existing')}
        data={[
          { value: 'new', label: t('cameras.snapshot.newIncident') },
          { value: 'existing', label: t('cameras.snapshot.existingIncident') },
        ]}
        data-testid="snapshot-target"
      />
      {target === 'existing' && <IncidentPicker value={incident} onChange={setIncident} />}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          {t('cameras.edit.cancel')}
        </Button>
        <Button onClick={() => void submit()} disabled={!canSubmit} loading={busy} data-testid="snapshot-submit">
          {target === 'new' ? t('cameras.snapshot.submitNew') : t('cameras.snapshot.submitExisting')}
        </Button>
      </Group>
    </Stack>
  );
}
