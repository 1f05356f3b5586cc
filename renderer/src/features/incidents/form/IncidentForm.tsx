import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import {
  Alert,
  Button,
  Group,
  Input,
  Modal,
  NumberInput,
  Select,
  SegmentedControl,
  SimpleGrid,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { DateTimePicker } from '@mantine/dates';
import { IconClock, IconMapPin, IconRefresh } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import {
  ContractError,
  INCIDENT_SOURCES,
  IncidentDraft,
  LIMITS,
  Location,
  PRIORITIES,
  type Incident,
  type IncidentPatch,
  type IncidentSource,
  type Priority,
} from '@shared';
import { useClient } from '../../../transport/ClientProvider';
import type { NewIncidentPrefill } from '../../../app/navigation';
import { notifyFailure, notifySuccess } from '../../../app/errors';
import { serverNow } from '../../system/clock';
import { useCategories } from '../common/categories';
import { PRIORITY_COLORS, priorityLabel, sourceLabel } from '../common/labels';
import { serverFieldErrors, translateZodIssue, zodFieldErrors, type FieldErrors } from '../common/issues';
import { useCosign } from '../../people/cosign';
import { formatShort } from '../common/format';
import { GridField } from '../../map/GridField';
import './incident-form.css';

/** Occurred-at may be a little ahead (clock drift between PCs); the core allows 10 minutes. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

type Field =
  | 'category'
  | 'title'
  | 'description'
  | 'source'
  | 'priority'
  | 'reporter'
  | 'occurredAt'
  | 'deadline'
  | 'lon'
  | 'lat'
  | 'gridId';

interface Values {
  category: string | null;
  title: string;
  description: string;
  source: IncidentSource | null;
  priority: Priority;
  reporter: string;
  occurredAt: string | null;
  deadline: string | null;
  lon: number | string;
  lat: number | string;
  gridId: string;
}

const DATE_FORMAT = 'YYYY-MM-DD HH:mm:ss';
const toPicker = (ms: number) => dayjs(ms).format(DATE_FORMAT);
const fromPicker = (value: string | null) => (value ? dayjs(value).valueOf() : undefined);

function initialValues(incident: Incident | null, prefill?: NewIncidentPrefill): Values {
  if (!incident) {
    return {
      category: prefill?.category ?? null,
      title: prefill?.title ?? '',
      description: prefill?.description ?? '',
      source: prefill?.source ?? 'phone',
      priority: 3,
      reporter: '',
      occurredAt: toPicker(prefill?.occurredAt ?? Math.floor(serverNow() / 60_000) * 60_000),
      deadline: null,
      lon: prefill?.location?.lon ?? '',
      lat: prefill?.location?.lat ?? '',
      gridId: prefill?.gridId ?? '',
    };
  }
  return {
    category: incident.category,
    title: incident.title,
    description: incident.description,
    source: incident.source,
    priority: incident.priority,
    reporter: incident.reporter,
    occurredAt: toPicker(incident.occurredAt),
    deadline: toPicker(incident.deadline),
    lon: incident.location?.lon ?? '',
    lat: incident.location?.lat ?? '',
    gridId: incident.gridId ?? '',
  };
}

function fieldOf(path: string): Field | undefined {
  const [head, sub] = path.split('.');
  if (head === 'location') return sub === 'lat' ? 'lat' : 'lon';
  const known: readonly string[] = [
    'category',
    'title',
    'description',
    'source',
    'priority',
    'reporter',
    'occurredAt',
    'deadline',
    'gridId',
  ];
  return head && known.includes(head) ? (head as Field) : undefined;
}

const num = (v: number | string): number | null => (v === '' || v === null ? null : typeof v === 'number' ? v : Number(v));

export interface IncidentFormProps {
  opened: boolean;
  onClose(): void;
  /** Null: create. Otherwise the incident as it was when editing began. */
  incident: Incident | null;
  /** The latest version known (live updates), to warn when someone else changed it meanwhile. */
  live?: Incident | null;
  /** Create only: fields filled in from where the operator started (map, alarm). */
  prefill?: NewIncidentPrefill;
  onSaved(incident: Incident): void;
}

export function IncidentForm({ opened, onClose, incident, live, prefill, onSaved }: IncidentFormProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      size={760}
      title={incident ? t('form.editTitle', { code: incident.code }) : t('form.createTitle')}
      closeOnClickOutside={false}
      classNames={{ title: 'modal-title', header: 'modal-header', body: 'modal-body' }}
    >
      {opened && <FormBody incident={incident} live={live ?? null} prefill={prefill} onClose={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function FormBody({
  incident: initialIncident,
  live,
  prefill,
  onClose,
  onSaved,
}: {
  incident: Incident | null;
  live: Incident | null;
  prefill: NewIncidentPrefill | undefined;
  onClose(): void;
  onSaved(incident: Incident): void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const { list: categories, byCode, name: categoryName } = useCategories();
  const [base, setBase] = useState<Incident | null>(initialIncident);
  const [values, setValues] = useState<Values>(() => initialValues(initialIncident, prefill));
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const editing = base !== null;
  const stale = editing && live && live.id === base.id && live.version > base.version ? live : null;
  // Editing a recorded case is confirmed by a second person (四眼原则); a new report is not.
  const cosign = useCosign(editing ? 'record.edit' : null);

  useEffect(() => {
    titleRef.current?.focus();
  }, []);

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    const field = key as Field;
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const category = values.category ? byCode.get(values.category) : undefined;
  const termText = (hours: number) =>
    hours % 24 === 0 && hours >= 48 ? t('form.defaultTermDays', { days: hours / 24 }) : t('form.defaultTerm', { hours });

  const categoryData = useMemo(
    () => categories.map((c) => ({ value: c.code, label: categoryName(c.code) })),
    [categories, categoryName],
  );

  /** Client-side: the same schema the core uses, plus the checks the core makes against its clock. */
  function validate(): { draft: IncidentDraft | null; fields: FieldErrors<Field> } {
    const fields: FieldErrors<Field> = {};
    const lon = num(values.lon);
    const lat = num(values.lat);
    // Each coordinate on its own first, so a range error shows even while the other is empty.
    for (const [field, value] of [
      ['lon', lon],
      ['lat', lat],
    ] as const) {
      if (value === null) continue;
      const check = Location.shape[field].safeParse(value);
      if (!check.success && check.error.issues[0]) fields[field] = translateZodIssue(check.error.issues[0], t, value);
    }
    if ((lon === null) !== (lat === null)) fields[lon === null ? 'lon' : 'lat'] ??= t('validation.bothCoordinates');
    const occurredAt = fromPicker(values.occurredAt);
    const deadline = fromPicker(values.deadline);
    const candidate = {
      category: values.category ?? '',
      title: values.title,
      description: values.description,
      source: values.source ?? undefined,
      priority: values.priority,
      reporter: values.reporter,
      occurredAt,
      deadline,
      location: lon !== null && lat !== null ? { lon, lat } : null,
      gridId: values.gridId.trim() ? values.gridId.trim() : null,
    };
    const parsed = IncidentDraft.safeParse(candidate);
    if (!parsed.success) {
      const mapped = zodFieldErrors(parsed.error, fieldOf, t, candidate);
      for (const [k, v] of Object.entries(mapped.fields)) fields[k as Field] ??= v as string;
    }
    if (occurredAt !== undefined && occurredAt > serverNow() + FUTURE_TOLERANCE_MS) fields.occurredAt ??= t('validation.inFuture');
    if (deadline !== undefined && occurredAt !== undefined && deadline <= occurredAt) {
      fields.deadline ??= t('validation.deadlineBeforeOccurred');
    }
    if (Object.keys(fields).length) return { draft: null, fields };
    return { draft: candidate as IncidentDraft, fields };
  }

  function patchFrom(draft: IncidentDraft, incident: Incident): IncidentPatch {
    const patch: Record<string, unknown> = {};
    const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (!same(draft.category, incident.category)) patch.category = draft.category;
    if (!same(draft.title.trim(), incident.title)) patch.title = draft.title;
    if (!same((draft.description ?? '').trim(), incident.description)) patch.description = draft.description;
    if (!same(draft.priority, incident.priority)) patch.priority = draft.priority;
    if (!same((draft.reporter ?? '').trim(), incident.reporter)) patch.reporter = draft.reporter;
    // The pickers keep whole seconds: compare at that precision.
    const sameSecond = (a: number | undefined, b: number) => a !== undefined && Math.floor(a / 1000) === Math.floor(b / 1000);
    if (!sameSecond(draft.occurredAt, incident.occurredAt)) patch.occurredAt = draft.occurredAt;
    if (draft.deadline !== undefined && !sameSecond(draft.deadline, incident.deadline)) patch.deadline = draft.deadline;
    if (!same(draft.location, incident.location)) patch.location = draft.location;
    if (!same(draft.gridId, incident.gridId)) patch.gridId = draft.gridId;
    return patch as IncidentPatch;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const { draft, fields } = validate();
    setErrors(fields);
    if (!draft) {
      setFormError(t('validation.fixFields'));
      return;
    }
    setBusy(true);
    try {
      let saved: Incident;
      if (base) {
        const patch = patchFrom(draft, base);
        if (!Object.keys(patch).length) {
          setFormError(t('form.nothingChanged'));
          setBusy(false);
          return;
        }
        saved = await client.invoke('incidents.update', { id: base.id, expectedVersion: base.version, patch, cosign: cosign.value });
        notifySuccess(t('form.saved', { code: saved.code }));
      } else {
        saved = await client.invoke('incidents.create', { draft });
        notifySuccess(t('form.created', { code: saved.code }));
      }
      onSaved(saved);
    } catch (error) {
      if (cosign.handle(error)) {
        setBusy(false);
        return;
      }
      const mapped = serverFieldErrors(error, fieldOf, t);
      if (error instanceof ContractError && error.code === 'conflict') {
        // Keep the operator's edits; the banner above offers the latest values.
        setFormError(t('errors.conflictStaleForm'));
        notifyFailure(error, t, t('errors.conflictStaleForm'));
      } else if (mapped) {
        setErrors(mapped.fields);
        setFormError(mapped.unmapped.length ? mapped.unmapped.join('；') : t('validation.fixFields'));
      } else {
        notifyFailure(error, t);
      }
      setBusy(false);
    }
  }

  const reloadLatest = () => {
    if (!stale) return;
    setBase(stale);
    setValues(initialValues(stale));
    setErrors({});
    setFormError(null);
  };

  const defaultDeadline =
    !editing && category && values.occurredAt ? serverNow() + category.defaultDeadlineHours * 3_600_000 : null;

  return (
    <form data-testid="incident-form" onSubmit={submit} noValidate className="incident-form">
      {stale && (
        <Alert
          color="yellow"
          variant="light"
          mb="sm"
          title={t('form.staleTitle')}
          data-testid="form-stale"
          icon={<IconRefresh size={16} />}
        >
          <Group justify="space-between" wrap="nowrap" gap="sm">
            <Text size="xs">{t('form.staleBody', { version: stale.version, base: base?.version })}</Text>
            <Button size="xs" variant="light" color="yellow" onClick={reloadLatest}>
              {t('form.reloadLatest')}
            </Button>
          </Group>
        </Alert>
      )}
      <SimpleGrid cols={2} spacing="sm" verticalSpacing={10}>
        <Select
          wrapperProps={{ 'data-testid': 'field-category' } as Record<string, string>}
          label={t('form.category')}
          placeholder={t('form.categoryPlaceholder')}
          data={categoryData}
          value={values.category}
          onChange={(v) => set('category', v)}
          error={errors.category}
          withAsterisk
          searchable={false}
          allowDeselect={false}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          description={category ? termText(category.defaultDeadlineHours) : undefined}
          renderOption={({ option }) => {
            const c = byCode.get(option.value);
            return (
              <Group justify="space-between" wrap="nowrap" w="100%" gap="md">
                <span>{option.label}</span>
                {c && (
                  <Text size="xs" c="dimmed">
                    {termText(c.defaultDeadlineHours)}
                  </Text>
                )}
              </Group>
            );
          }}
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          wrapperProps={{ 'data-testid': 'field-source' } as Record<string, string>}
          label={t('form.source')}
          placeholder={t('form.sourcePlaceholder')}
          data={INCIDENT_SOURCES.map((s) => ({ value: s, label: sourceLabel(s, t) }))}
          value={values.source}
          onChange={(v) => set('source', v as IncidentSource | null)}
          error={errors.source}
          withAsterisk
          allowDeselect={false}
          disabled={editing}
          inputWrapperOrder={['label', 'input', 'description', 'error']}
          description={editing ? t('form.sourceLocked') : undefined}
        />
      </SimpleGrid>

      <TextInput
        ref={titleRef}
        mt={10}
        wrapperProps={{ 'data-testid': 'field-title' } as Record<string, string>}
        label={t('form.title')}
        placeholder={t('form.titlePlaceholder')}
        value={values.title}
        onChange={(e) => set('title', e.currentTarget.value)}
        error={errors.title}
        withAsterisk
        maxLength={LIMITS.title + 20}
        rightSectionWidth={64}
        rightSection={
          <Text size="xs" c={values.title.length > LIMITS.title ? 'red' : 'dimmed'} className="char-count">
            {values.title.length}/{LIMITS.title}
          </Text>
        }
      />

      <Textarea
        mt={10}
        wrapperProps={{ 'data-testid': 'field-description' } as Record<string, string>}
        label={t('form.description')}
        placeholder={t('form.descriptionPlaceholder')}
        value={values.description}
        onChange={(e) => set('description', e.currentTarget.value)}
        error={errors.description}
        autosize
        minRows={3}
        maxRows={8}
      />

      <SimpleGrid cols={2} spacing="sm" verticalSpacing={10} mt={10}>
        <Input.Wrapper label={t('form.priority')} error={errors.priority} data-testid="field-priority">
          <SegmentedControl
            fullWidth
            size="xs"
            value={String(values.priority)}
            onChange={(v) => set('priority', Number(v) as Priority)}
            color={PRIORITY_COLORS[values.priority] === 'dark' ? 'gray' : PRIORITY_COLORS[values.priority]}
            data={PRIORITIES.map((p) => ({ value: String(p), label: `${p} ${priorityLabel(p, t)}` }))}
            className="priority-control"
          />
        </Input.Wrapper>
        <TextInput
          wrapperProps={{ 'data-testid': 'field-reporter' } as Record<string, string>}
          label={t('form.reporter')}
          placeholder={t('form.reporterPlaceholder')}
          value={values.reporter}
          onChange={(e) => set('reporter', e.currentTarget.value)}
          error={errors.reporter}
          maxLength={LIMITS.person + 20}
        />
        <DateTimePicker
          wrapperProps={{ 'data-testid': 'field-occurred-at' } as Record<string, string>}
          label={t('form.occurredAt')}
          value={values.occurredAt}
          onChange={(v) => set('occurredAt', v)}
          error={errors.occurredAt}
          valueFormat="YYYY-MM-DD HH:mm"
          withAsterisk
          leftSection={<IconClock size={14} />}
          maxDate={dayjs(serverNow()).endOf('day').format(DATE_FORMAT)}
          rightSectionWidth={52}
          rightSection={
            <Button
              variant="subtle"
              size="compact-xs"
              onClick={() => set('occurredAt', toPicker(Math.floor(serverNow() / 60_000) * 60_000))}
            >
              {t('form.now')}
            </Button>
          }
          rightSectionPointerEvents="all"
          popoverProps={{ withinPortal: true }}
        />
        <DateTimePicker
          wrapperProps={{ 'data-testid': 'field-deadline' } as Record<string, string>}
          label={t('form.deadline')}
          placeholder={
            defaultDeadline ? `${t('form.deadlinePlaceholder')}（${formatShort(defaultDeadline)}）` : t('form.deadlinePlaceholder')
          }
          value={values.deadline}
          onChange={(v) => set('deadline', v)}
          error={errors.deadline}
          valueFormat="YYYY-MM-DD HH:mm"
          clearable={!editing}
          leftSection={<IconClock size={14} />}
          popoverProps={{ withinPortal: true }}
        />
      </SimpleGrid>

      <Input.Wrapper label={t('form.location')} mt={10} className="location-wrapper">
        <SimpleGrid cols={3} spacing="sm">
          <NumberInput
            wrapperProps={{ 'data-testid': 'field-lon' } as Record<string, string>}
            placeholder={`${t('form.lon')} 113.8236`}
            value={values.lon}
            onChange={(v) => set('lon', v)}
            error={errors.lon}
            min={-180}
            max={180}
            decimalScale={6}
            hideControls
            leftSection={<IconMapPin size={14} />}
            aria-label={t('form.lon')}
            clampBehavior="none"
          />
          <NumberInput
            wrapperProps={{ 'data-testid': 'field-lat' } as Record<string, string>}
            placeholder={`${t('form.lat')} 22.1352`}
            value={values.lat}
            onChange={(v) => set('lat', v)}
            error={errors.lat}
            min={-90}
            max={90}
            decimalScale={6}
            hideControls
            aria-label={t('form.lat')}
            clampBehavior="none"
          />
          <GridField lon={values.lon} lat={values.lat} value={values.gridId} onChange={(v) => set('gridId', v)} error={errors.gridId} />
        </SimpleGrid>
      </Input.Wrapper>

      {cosign.fields && <div className="form-cosign">{cosign.fields}</div>}
      <Group justify="space-between" mt="md" className="form-footer">
        <Text size="xs" c="red.5" data-testid="form-error">
          {formError}
        </Text>
        <Group gap="xs">
          <Button variant="default" size="sm" onClick={onClose} disabled={busy}>
            {t('form.cancel')}
          </Button>
          <Button type="submit" size="sm" loading={busy} data-testid="form-submit">
            {editing ? t('form.submitEdit') : t('form.submitCreate')}
          </Button>
        </Group>
      </Group>
    </form>
  );
}
