import { useRef, useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Badge, Button, Group, Modal, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { IconDownload, IconEdit, IconPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ContractError, UNIT_KINDS, UnitDraft, type Unit, type UnitKind } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { issueMessage, notifySuccess } from '../../app/errors';
import { downloadText, notifyWorkflowFailure, serverPathErrors, useWorkflowData, zodPathErrors } from './common';
import { useCosign } from '../people/cosign';
import './workflows.css';

type ImportIssue = { line: string; column: string; message: string };

/** The directory of units: CRUD, CSV import (all or nothing, with row-level errors) and export. */
export function DirectoryView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const [units, load] = useWorkflowData<Unit[]>([], () => client.invoke('units.list', {}), t, { enabled: active });
  const [kind, setKind] = useState<UnitKind | 'all'>('all');
  const [editing, setEditing] = useState<Unit | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Unit | null>(null);
  const [importIssues, setImportIssues] = useState<ImportIssue[] | null>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useCoreEvent('units.changed', () => void load());

  async function importFile(file: File) {
    setImportIssues(null);
    try {
      const { imported } = await client.invoke('units.importCsv', { csv: await file.text() });
      notifySuccess(t('wf.directory.imported', { count: imported }));
    } catch (error) {
      if (error instanceof ContractError && error.code === 'validation') {
        setImportIssues(
          error.issues.map((issue) => {
            const [, line = '', column = ''] = issue.path.split('.');
            return { line, column, message: issueMessage(issue, t) };
          }),
        );
      } else notifyWorkflowFailure(error, t);
    }
  }

  async function exportFile() {
    try {
      const { csv } = await client.invoke('units.exportCsv', {});
      downloadText('units.csv', csv);
      notifySuccess(t('wf.directory.exported', { count: units.length }));
    } catch (error) {
      notifyWorkflowFailure(error, t);
    }
  }

  const shown = kind === 'all' ? units : units.filter((u) => u.kind === kind);
  return (
    <div className="wf-view" data-testid="directory-view">
      <Group justify="space-between" className="wf-view-head">
        <Group gap="sm">
          <Title order={4}>{t('wf.directory.title')}</Title>
          <Select
            size="xs"
            w={180}
            value={kind}
            onChange={(v) => setKind((v as UnitKind | 'all') ?? 'all')}
            allowDeselect={false}
            data={[{ value: 'all', label: t('wf.directory.all') }, ...UNIT_KINDS.map((k) => ({ value: k, label: t(`wf.directory.kinds.${k}`) }))]}
            data-testid="directory-kind"
          />
        </Group>
        <Group gap="xs">
          <Button size="xs" leftSection={<IconPlus size={14} />} onClick={() => setEditing('new')} data-testid="directory-add">
            {t('wf.directory.add')}
          </Button>
          <Button size="xs" variant="default" leftSection={<IconUpload size={14} />} onClick={() => fileRef.current?.click()} data-testid="directory-import">
            {t('wf.directory.import')}
          </Button>
          <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => void exportFile()} data-testid="directory-export">
            {t('wf.directory.export')}
          </Button>
          <input
            ref={fileRef}
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="directory-file"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importFile(file);
            }}
          />
        </Group>
      </Group>
      {importIssues && (
        <Alert color="red" mb="sm" title={t('wf.directory.importFailed')} withCloseButton onClose={() => setImportIssues(null)} data-testid="import-errors">
          <Stack gap={2}>
            {importIssues.map((issue, i) => (
              <Text size="xs" key={i} data-testid="import-error">
                {t('wf.directory.importRow', { line: issue.line, column: issue.column, message: issue.message })}
              </Text>
            ))}
          </Stack>
        </Alert>
      )}
      {shown.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('wf.directory.empty')}
        </Text>
      ) : (
        <Table striped highlightOnHover stickyHeader data-testid="directory-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('wf.directory.kindLabel')}</Table.Th>
              <Table.Th>{t('wf.directory.name')}</Table.Th>
              <Table.Th>{t('wf.directory.phone')}</Table.Th>
              <Table.Th>{t('wf.directory.radio')}</Table.Th>
              <Table.Th>{t('wf.directory.grids').split('（')[0]!.split(' (')[0]}</Table.Th>
              <Table.Th>{t('wf.directory.capacity')}</Table.Th>
              <Table.Th>{t('wf.directory.onDuty')}</Table.Th>
              <Table.Th>{t('wf.directory.note')}</Table.Th>
              <Table.Th w={70} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((u) => (
              <Table.Tr key={u.id} data-testid="directory-row">
                <Table.Td>
                  <Badge size="sm" variant="light">
                    {t(`wf.directory.kinds.${u.kind}`)}
                  </Badge>
                </Table.Td>
                <Table.Td fw={600}>{u.name}</Table.Td>
                <Table.Td className="mono">{u.phone}</Table.Td>
                <Table.Td>{u.radioChannel}</Table.Td>
                <Table.Td>{u.grids.length ? u.grids.join('; ') : <Text size="xs" c="dimmed">{t('wf.directory.wholeTown')}</Text>}</Table.Td>
                <Table.Td>{u.capacity ?? ''}</Table.Td>
                <Table.Td>{u.onDuty ? '✓' : '—'}</Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {u.note}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Tooltip label={t('wf.directory.edit')}>
                      <ActionIcon variant="subtle" color="gray" onClick={() => setEditing(u)} aria-label={t('wf.directory.edit')} data-testid="directory-edit">
                        <IconEdit size={14} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('wf.directory.delete')}>
                      <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(u)} aria-label={t('wf.directory.delete')} data-testid="directory-delete">
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title={editing === 'new' ? t('wf.directory.add') : t('wf.directory.edit')} classNames={{ title: 'modal-title', header: 'modal-header' }}>
        {editing !== null && (
          <UnitForm
            unit={editing === 'new' ? null : editing}
            defaultKind={kind === 'all' ? 'police_station' : kind}
            onDone={() => {
              setEditing(null);
              void load();
            }}
          />
        )}
      </Modal>
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('wf.directory.delete')} size={480} classNames={{ title: 'modal-title', header: 'modal-header' }}>
        {deleting && (
          <DeleteForm
            unit={deleting}
            onClose={() => setDeleting(null)}
            onDone={() => {
              setDeleting(null);
              void load();
            }}
          />
        )}
      </Modal>
    </div>
  );
}

/** Deleting a record of the directory: confirmed by a second person (四眼原则). */
function DeleteForm({ unit, onClose, onDone }: { unit: Unit; onClose(): void; onDone(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const cosign = useCosign('record.delete');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await client.invoke('units.delete', { id: unit.id, expectedVersion: unit.version, cosign: cosign.value });
      onDone();
    } catch (error) {
      setBusy(false);
      if (cosign.handle(error)) return;
      notifyWorkflowFailure(error, t);
      onDone();
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="directory-delete-form">
      <Stack gap="sm">
        <Text size="sm">{t('wf.directory.deleteConfirm', { name: unit.name })}</Text>
        {cosign.fields}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" color="red" loading={busy} data-testid="directory-delete-confirm">
            {t('wf.directory.delete')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function UnitForm({ unit, defaultKind, onDone }: { unit: Unit | null; defaultKind: UnitKind; onDone(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [kind, setKind] = useState<UnitKind>(unit?.kind ?? defaultKind);
  const [name, setName] = useState(unit?.name ?? '');
  const [phone, setPhone] = useState(unit?.phone ?? '');
  const [radio, setRadio] = useState(unit?.radioChannel ?? '');
  const [grids, setGrids] = useState(unit?.grids.join('; ') ?? '');
  const [capacity, setCapacity] = useState<number | string>(unit?.capacity ?? '');
  const [onDuty, setOnDuty] = useState(unit?.onDuty ?? true);
  const [note, setNote] = useState(unit?.note ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const draft = {
      kind,
      name,
      phone,
      radioChannel: radio,
      grids: grids.split(/[;；,，]/).map((g) => g.trim()).filter(Boolean),
      capacity: kind === 'quarantine_site' ? (typeof capacity === 'number' ? capacity : null) : null,
      onDuty,
      note,
    };
    const parsed = UnitDraft.safeParse(draft);
    if (!parsed.success) {
      setErrors(zodPathErrors(parsed.error, t, draft).fields);
      return;
    }
    setBusy(true);
    try {
      if (unit) await client.invoke('units.update', { id: unit.id, expectedVersion: unit.version, draft });
      else await client.invoke('units.create', { draft });
      onDone();
    } catch (error) {
      const mapped = serverPathErrors(error, 'draft', t);
      if (mapped) setErrors(mapped.fields);
      else notifyWorkflowFailure(error, t);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid="unit-form">
      <Stack gap="sm">
        <Select
          label={t('wf.directory.kindLabel')}
          value={kind}
          onChange={(v) => v && setKind(v as UnitKind)}
          allowDeselect={false}
          data={UNIT_KINDS.map((k) => ({ value: k, label: t(`wf.directory.kinds.${k}`) }))}
          data-testid="unit-kind"
        />
        <TextInput label={t('wf.directory.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} withAsterisk data-autofocus data-testid="unit-name" />
        <Group grow align="flex-start">
          <TextInput label={t('wf.directory.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={errors.phone} data-testid="unit-phone" />
          <TextInput label={t('wf.directory.radio')} value={radio} onChange={(e) => setRadio(e.currentTarget.value)} error={errors.radioChannel} data-testid="unit-radio" />
        </Group>
        <TextInput label={t('wf.directory.grids')} value={grids} onChange={(e) => setGrids(e.currentTarget.value)} error={errors.grids} />
        {kind === 'quarantine_site' && (
          <NumberInput label={t('wf.directory.capacity')} value={capacity} onChange={setCapacity} min={1} allowDecimal={false} error={errors.capacity} withAsterisk data-testid="unit-capacity" />
        )}
        <Switch label={t('wf.directory.onDuty')} checked={onDuty} onChange={(e) => setOnDuty(e.currentTarget.checked)} />
        <TextInput label={t('wf.directory.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} error={errors.note} />
        <Group justify="flex-end">
          <Button type="submit" loading={busy} data-testid="unit-save">
            {t('wf.directory.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
