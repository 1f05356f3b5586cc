import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Modal, PasswordInput, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { IconKey, IconEdit, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ContractError, ROLES, type Role, type Staff } from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { describeFailure, notifyFailure, notifySuccess, reasonMessage } from '../../app/errors';
import { formatDateTime } from '../incidents/common/format';
import { useRoleNames } from './session';

type Editing = { mode: 'new' } | { mode: 'edit'; staff: Staff } | { mode: 'reset'; staff: Staff } | null;

/** Staff accounts (administrators): create with a temporary password, edit roles, disable, reset. */
export function StaffView({ active }: { active: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const roleNames = useRoleNames();
  const [staff, setStaff] = useState<Staff[]>([]);
  const [editing, setEditing] = useState<Editing>(null);

  const load = useCallback(async () => {
    try {
      setStaff((await client.invoke('staff.list', {})).staff);
    } catch (error) {
      notifyFailure(error, t);
    }
  }, [client, t]);
  useEffect(() => {
    if (active) void load();
  }, [active, load]);
  useCoreEvent('staff.changed', () => void load());

  return (
    <div className="people-view" data-testid="staff-view">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{t('people.staff.title')}</Title>
        <Button leftSection={<IconPlus size={14} />} onClick={() => setEditing({ mode: 'new' })} data-testid="staff-add">
          {t('people.staff.add')}
        </Button>
      </Group>
      <Table striped highlightOnHover data-testid="staff-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('people.staff.staffNo')}</Table.Th>
            <Table.Th>{t('people.staff.name')}</Table.Th>
            <Table.Th>{t('people.staff.phone')}</Table.Th>
            <Table.Th>{t('people.staff.roles')}</Table.Th>
            <Table.Th>{t('people.staff.state')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {staff.map((s) => (
            <Table.Tr key={s.id} data-testid={`staff-row-${s.staffNo}`}>
              <Table.Td ff="monospace">{s.staffNo}</Table.Td>
              <Table.Td>{s.name}</Table.Td>
              <Table.Td>{s.phone}</Table.Td>
              <Table.Td>{roleNames(s.roles)}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  <Badge color={s.active ? 'teal' : 'gray'} variant="light">
                    {s.active ? t('people.staff.active') : t('people.staff.inactive')}
                  </Badge>
                  {s.mustChangePassword && <Badge color="yellow" variant="light">{t('people.staff.mustChange')}</Badge>}
                  {s.lockedUntil && <Badge color="red" variant="light">{t('people.staff.lockedUntil', { time: formatDateTime(s.lockedUntil) })}</Badge>}
                </Group>
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end">
                  <Button size="compact-xs" variant="subtle" leftSection={<IconEdit size={12} />} onClick={() => setEditing({ mode: 'edit', staff: s })} data-testid={`staff-edit-${s.staffNo}`}>
                    {t('people.staff.edit')}
                  </Button>
                  <Button size="compact-xs" variant="subtle" leftSection={<IconKey size={12} />} onClick={() => setEditing({ mode: 'reset', staff: s })} data-testid={`staff-reset-${s.staffNo}`}>
                    {t('people.staff.reset')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {editing && <StaffForm editing={editing} onClose={() => setEditing(null)} onSaved={() => void load()} />}
    </div>
  );
}

function StaffForm({ editing, onClose, onSaved }: { editing: NonNullable<Editing>; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const client = useClient();
  const current = editing.mode === 'new' ? null : editing.staff;
  const [staffNo, setStaffNo] = useState(current?.staffNo ?? '');
  const [name, setName] = useState(current?.name ?? '');
  const [phone, setPhone] = useState(current?.phone ?? '');
  const [roles, setRoles] = useState<Role[]>(current?.roles ?? ['operator']);
  const [active, setActive] = useState(current?.active ?? true);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fieldError = (path: string) => {
    if (!(error instanceof ContractError)) return null;
    const issue = error.issues.find((i) => i.path === path || i.path === `draft.${path}`);
    if (!issue) return null;
    return issue.reason ? reasonMessage(issue.reason, issue.params ?? {}, t) : issue.message;
  };
  const formError = error && !(error instanceof ContractError && error.issues.length) ? describeFailure(error, t).message : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      if (editing.mode === 'new') {
        const made = await client.invoke('staff.create', { draft: { staffNo: staffNo.trim(), name: name.trim(), phone: phone.trim(), roles }, password });
        notifySuccess(t('people.staff.created', { name: made.name }));
      } else if (editing.mode === 'edit') {
        await client.invoke('staff.update', { id: editing.staff.id, draft: { name: name.trim(), phone: phone.trim(), roles }, active });
        notifySuccess(t('people.staff.saved'));
      } else {
        await client.invoke('staff.resetPassword', { id: editing.staff.id, password });
        notifySuccess(t('people.staff.resetDone', { name: editing.staff.name }));
      }
      onSaved();
      onClose();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = editing.mode === 'new' ? t('people.staff.add') : editing.mode === 'edit' ? `${t('people.staff.edit')} · ${current!.name}` : `${t('people.staff.reset')} · ${current!.name}`;
  return (
    <Modal opened onClose={onClose} title={title} centered data-testid="staff-form">
      <form onSubmit={(e) => void submit(e)}>
        <Stack gap="sm">
          {editing.mode !== 'reset' && (
            <>
              <TextInput label={t('people.staff.staffNo')} value={staffNo} onChange={(e) => setStaffNo(e.currentTarget.value)} disabled={editing.mode === 'edit'} error={fieldError('staffNo')} data-testid="staff-form-staff-no" />
              <TextInput label={t('people.staff.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError('name')} data-testid="staff-form-name" />
              <TextInput label={t('people.staff.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} error={fieldError('phone')} data-testid="staff-form-phone" />
              <Checkbox.Group label={t('people.staff.roles')} value={roles} onChange={(v) => setRoles(v as Role[])} error={fieldError('roles')}>
                <Group gap="sm" mt={4}>
                  {ROLES.map((role) => (
                    <Checkbox key={role} value={role} label={t(`people.roles.${role}`)} data-testid={`staff-form-role-${role}`} />
                  ))}
                </Group>
              </Checkbox.Group>
              {editing.mode === 'edit' && <Switch label={t('people.staff.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} data-testid="staff-form-active" />}
            </>
          )}
          {editing.mode !== 'edit' && (
            <PasswordInput
              label={t('people.staff.tempPassword')}
              description={t('people.staff.tempHint')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={fieldError('password')}
              data-testid="staff-form-password"
            />
          )}
          {formError && (
            <Alert color="red" variant="light" data-testid="staff-form-error">
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={busy} data-testid="staff-form-submit">
              {t('people.staff.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
