import { useState, type FormEvent } from 'react';
import { Alert, Button, Checkbox, Chip, Group, Input, Modal, NumberInput, Stack, Switch, TagsInput, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CameraFields, ContractError, type Camera } from '@shared';
import { notifyFailure } from '../../app/errors';
import { useClient } from '../../transport/ClientProvider';
import { translateZodIssue } from '../incidents/common/issues';
import { cameraErrorMessage, issueMessage } from './errors';
import { GridField } from '../map/GridField';

type Field = 'name' | 'lon' | 'lat' | 'heading' | 'fieldOfView' | 'grid' | 'tags' | 'days' | 'from' | 'to';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0] as const;

function fieldOf(path: string): Field | undefined {
  const p = path.replace(/^fields\./, '');
  if (p.startsWith('location.lon') || p === 'location') return 'lon';
  if (p.startsWith('location.lat')) return 'lat';
  if (p.startsWith('tags')) return 'tags';
  if (p.startsWith('armSchedule.days')) return 'days';
  if (p === 'armSchedule.from') return 'from';
  if (p === 'armSchedule.to') return 'to';
  return (['name', 'heading', 'fieldOfView', 'grid'] as const).find((f) => f === p);
}

const numberOrNull = (value: number | string) => (value === '' || value === null ? null : Number(value));

export function EditCameraModal({ camera, onClose }: { camera: Camera | null; onClose(): void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={camera !== null} onClose={onClose} size={560} title={t('cameras.edit.title')} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {camera && <EditCameraForm key={camera.id} camera={camera} onClose={onClose} />}
    </Modal>
  );
}

function EditCameraForm({ camera, onClose }: { camera: Camera; onClose(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [name, setName] = useState(camera.name);
  const [lon, setLon] = useState<number | string>(camera.location?.lon ?? '');
  const [lat, setLat] = useState<number | string>(camera.location?.lat ?? '');
  const [heading, setHeading] = useState<number | string>(camera.heading ?? '');
  const [fov, setFov] = useState<number | string>(camera.fieldOfView ?? '');
  const [grid, setGrid] = useState(camera.grid ?? '');
  const [tags, setTags] = useState<string[]>(camera.tags);
  const [enabled, setEnabled] = useState(camera.enabled);
  const [armed, setArmed] = useState(camera.armed);
  const [allowBasicOverHttp, setAllowBasicOverHttp] = useState(camera.allowBasicOverHttp);
  const [scheduled, setScheduled] = useState(camera.armSchedule !== null);
  const [days, setDays] = useState<string[]>((camera.armSchedule?.days ?? [1, 2, 3, 4, 5, 6, 0]).map(String));
  const [from, setFrom] = useState(camera.armSchedule?.from ?? '18:00');
  const [to, setTo] = useState(camera.armSchedule?.to ?? '08:00');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors({});
    setFormError(null);
    const lonValue = numberOrNull(lon);
    const latValue = numberOrNull(lat);
    if ((lonValue === null) !== (latValue === null)) {
      setErrors(lonValue === null ? { lon: t('validation.required') } : { lat: t('validation.required') });
      return;
    }
    const fields = {
      name,
      location: lonValue === null || latValue === null ? null : { lon: lonValue, lat: latValue },
      heading: numberOrNull(heading),
      fieldOfView: numberOrNull(fov),
      grid: grid || null,
      tags,
      enabled,
      armed,
      armSchedule: armed && scheduled ? { days: days.map(Number), from: from.trim(), to: to.trim() } : armed ? null : camera.armSchedule,
      allowBasicOverHttp,
    };
    const parsed = CameraFields.safeParse(fields);
    if (!parsed.success) {
      const next: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = fieldOf(issue.path.map(String).join('.'));
        if (field) next[field] ??= translateZodIssue(issue, t);
      }
      setErrors(next);
      // A rule on something the form does not show must still say why Save did nothing.
      if (!Object.keys(next).length) setFormError(translateZodIssue(parsed.error.issues[0]!, t));
      return;
    }
    setBusy(true);
    try {
      await client.invoke('cameras.update', { id: camera.id, fields: parsed.data });
      onClose();
    } catch (error) {
      if (error instanceof ContractError && error.code === 'validation') {
        const next: Partial<Record<Field, string>> = {};
        for (const issue of error.issues) {
          const field = fieldOf(issue.path);
          if (field) next[field] ??= issueMessage(issue, t);
        }
        setErrors(next);
        setFormError(Object.keys(next).length ? null : cameraErrorMessage(error, t));
      } else notifyFailure(error, t);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await client.invoke('cameras.remove', { id: camera.id });
      onClose();
    } catch (error) {
      notifyFailure(error, t);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('cameras.edit.device')}: {camera.device.manufacturer} {camera.device.model} · {camera.device.serialNumber} · {camera.url}
        </Text>
        <Text size="xs" c="dimmed">
          {t('cameras.edit.profiles')}: {camera.profiles.map((p) => `${p.name} ${p.width}×${p.height} ${p.encoding} ${p.fps}fps`).join(' / ')}
        </Text>
        <TextInput label={t('cameras.add.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} data-autofocus data-testid="camera-name" />
        <Group grow>
          <NumberInput label={t('cameras.edit.lon')} value={lon} onChange={setLon} decimalScale={6} hideControls error={errors.lon} />
          <NumberInput label={t('cameras.edit.lat')} value={lat} onChange={setLat} decimalScale={6} hideControls error={errors.lat} />
        </Group>
        <Group grow>
          <NumberInput label={t('cameras.edit.heading')} value={heading} onChange={setHeading} hideControls error={errors.heading} data-testid="camera-heading" />
          <NumberInput label={t('cameras.edit.fov')} value={fov} onChange={setFov} hideControls error={errors.fieldOfView} />
        </Group>
        <Group grow>
          <GridField label={t('cameras.edit.grid')} lon={lon} lat={lat} value={grid} onChange={setGrid} error={errors.grid} />
          <TagsInput label={t('cameras.edit.tags')} description={t('cameras.edit.tagsHint')} value={tags} onChange={setTags} error={errors.tags} />
        </Group>
        <Group>
          <Switch label={t('cameras.edit.enabled')} checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          <Switch label={t('cameras.edit.armed')} checked={armed} onChange={(e) => setArmed(e.currentTarget.checked)} data-testid="camera-armed" />
          <Switch
            label={t('cameras.edit.allowBasicOverHttp')}
            description={t('cameras.edit.allowBasicOverHttpHint')}
            checked={allowBasicOverHttp}
            onChange={(e) => setAllowBasicOverHttp(e.currentTarget.checked)}
            data-testid="camera-allow-basic-http"
          />
          {armed && <Checkbox label={t('cameras.edit.scheduled')} checked={scheduled} onChange={(e) => setScheduled(e.currentTarget.checked)} />}
        </Group>
        {armed && scheduled && (
          <Stack gap={6}>
            <Input.Wrapper label={t('cameras.edit.days')} error={errors.days}>
              <Chip.Group multiple value={days} onChange={setDays}>
                <Group gap={4} mt={4}>
                  {WEEKDAYS.map((day) => (
                    <Chip key={day} value={String(day)} size="xs">
                      {t(`cameras.edit.weekday.${day}`)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
            </Input.Wrapper>
            <Group grow>
              <TextInput label={t('cameras.edit.from')} placeholder="18:00" value={from} onChange={(e) => setFrom(e.currentTarget.value)} error={errors.from} />
              <TextInput label={t('cameras.edit.to')} placeholder="08:00" value={to} onChange={(e) => setTo(e.currentTarget.value)} error={errors.to} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('cameras.edit.scheduleHint')}
            </Text>
          </Stack>
        )}
        {formError && <Alert color="red">{formError}</Alert>}
        {confirming && (
          <Alert color="red">
            <Stack gap="xs">
              <Text size="sm">{t('cameras.edit.confirmRemove', { name: camera.name })}</Text>
              <Group>
                <Button color="red" size="xs" onClick={remove} loading={busy} data-testid="camera-remove-confirm">
                  {t('cameras.edit.remove')}
                </Button>
                <Button variant="default" size="xs" onClick={() => setConfirming(false)}>
                  {t('cameras.edit.cancel')}
                </Button>
              </Group>
            </Stack>
          </Alert>
        )}
        <Group justify="space-between">
          <Button variant="subtle" color="red" onClick={() => setConfirming(true)} disabled={busy}>
            {t('cameras.edit.remove')}
          </Button>
          <Button type="submit" loading={busy} data-testid="camera-save">
            {t('cameras.edit.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
