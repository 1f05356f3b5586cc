import { useState, type FormEvent } from 'react';
import { Alert, Button, Paper, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ContractError, type AuthPolicy, type DemoAccount, type Session } from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { describeFailure, reasonMessage } from '../../app/errors';

/** The field an error belongs to (its first issue with a reason), else null: shown under the form. */
function fieldError(error: unknown, field: string, t: ReturnType<typeof useTranslation>['t']): string | null {
  if (!(error instanceof ContractError)) return null;
  const issue = error.issues.find((i) => i.path === field);
  if (!issue) return null;
  return issue.reason ? reasonMessage(issue.reason, issue.params ?? {}, t) : issue.message;
}

function formError(error: unknown, fields: readonly string[], t: ReturnType<typeof useTranslation>['t']): string | null {
  if (!error) return null;
  if (error instanceof ContractError && error.issues.some((i) => fields.includes(i.path))) return null;
  return describeFailure(error, t).message;
}

export function LoginForm({
  title,
  demoAccounts,
  onDone,
  compact,
}: {
  title?: string;
  demoAccounts: readonly DemoAccount[];
  onDone: (session: Session) => void;
  compact?: boolean;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const [staffNo, setStaffNo] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const roleNames = (roles: readonly string[]) => roles.map((r) => t(`people.roles.${r}`)).join('、');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const session = await client.invoke('auth.login', { staffNo: staffNo.trim(), password });
      setPassword('');
      setError(null);
      onDone(session);
    } catch (err) {
      setError(err);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  const body = (
    <form onSubmit={(e) => void submit(e)} data-testid="login-form">
      <Stack gap="sm">
        {title && <Title order={3}>{title}</Title>}
        <TextInput
          label={t('people.login.staffNo')}
          value={staffNo}
          onChange={(e) => setStaffNo(e.currentTarget.value)}
          autoFocus
          autoComplete="username"
          data-testid="login-staff-no"
        />
        <PasswordInput
          label={t('people.login.password')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoComplete="current-password"
          data-testid="login-password"
        />
        {error ? (
          <Alert color="red" variant="light" data-testid="login-error">
            {describeFailure(error, t).message}
          </Alert>
        ) : null}
        <Button type="submit" loading={busy} data-testid="login-submit">
          {t('people.login.submit')}
        </Button>
        {demoAccounts.length > 0 && (
          <div data-testid="demo-accounts">
            <Text size="xs" c="dimmed" mb={4}>
              {t('people.login.demoTitle')}
            </Text>
            <Table withRowBorders={false} verticalSpacing={2} fz="xs">
              <Table.Tbody>
                {demoAccounts.map((a) => (
                  <Table.Tr key={a.staffNo}>
                    <Table.Td>{roleNames(a.roles)}</Table.Td>
                    <Table.Td>{a.name}</Table.Td>
                    <Table.Td ff="monospace">{a.staffNo}</Table.Td>
                    <Table.Td ff="monospace">{a.password}</Table.Td>
                    <Table.Td>
                      <Button
                        size="compact-xs"
                        variant="subtle"
                        onClick={() => {
                          setStaffNo(a.staffNo);
                          setPassword(a.password);
                        }}
                        data-testid={`demo-account-${a.staffNo}`}
                      >
                        {t('people.login.demoUse')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Stack>
    </form>
  );
  if (compact) return body;
  return (
    <Paper className="login-card" p="lg" withBorder>
      {body}
    </Paper>
  );
}

export function SetupScreen({ policy, onDone }: { policy: AuthPolicy; onDone: (session: Session) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [form, setForm] = useState({ staffNo: '', name: '', phone: '', password: '', again: '' });
  const [error, setError] = useState<unknown>(null);
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (form.password !== form.again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setBusy(true);
    try {
      onDone(await client.invoke('auth.setup', { staffNo: form.staffNo.trim(), name: form.name.trim(), phone: form.phone.trim(), password: form.password }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const fields = ['staffNo', 'name', 'phone', 'password'];
  return (
    <div className="login-screen" data-testid="setup-screen">
      <Paper className="login-card" p="lg" withBorder>
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="sm">
            <Title order={3}>{t('people.setup.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('people.setup.hint')}
            </Text>
            <TextInput label={t('people.login.staffNo')} value={form.staffNo} onChange={set('staffNo')} error={fieldError(error, 'staffNo', t)} autoFocus data-testid="setup-staff-no" />
            <TextInput label={t('people.setup.name')} value={form.name} onChange={set('name')} error={fieldError(error, 'name', t)} data-testid="setup-name" />
            <TextInput label={t('people.setup.phone')} value={form.phone} onChange={set('phone')} error={fieldError(error, 'phone', t)} data-testid="setup-phone" />
            <PasswordInput
              label={t('people.login.password')}
              description={t('people.setup.rules', { min: policy.minLength })}
              value={form.password}
              onChange={set('password')}
              error={fieldError(error, 'password', t)}
              data-testid="setup-password"
            />
            <PasswordInput
              label={t('people.setup.passwordAgain')}
              value={form.again}
              onChange={set('again')}
              error={mismatch ? t('people.setup.mismatch') : null}
              data-testid="setup-password-again"
            />
            {formError(error, fields, t) && (
              <Alert color="red" variant="light">
                {formError(error, fields, t)}
              </Alert>
            )}
            <Button type="submit" loading={busy} data-testid="setup-submit">
              {t('people.setup.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </div>
  );
}

export function ChangePasswordScreen({ onDone }: { onDone: (session: Session) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      onDone(await client.invoke('auth.changePassword', { current, next }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="login-screen" data-testid="change-password-screen">
      <Paper className="login-card" p="lg" withBorder>
        <form onSubmit={(e) => void submit(e)}>
          <Stack gap="sm">
            <Title order={3}>{t('people.change.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('people.change.hint')}
            </Text>
            <PasswordInput label={t('people.change.current')} value={current} onChange={(e) => setCurrent(e.currentTarget.value)} error={fieldError(error, 'current', t)} autoFocus data-testid="change-current" />
            <PasswordInput label={t('people.change.next')} value={next} onChange={(e) => setNext(e.currentTarget.value)} error={fieldError(error, 'next', t)} data-testid="change-next" />
            {formError(error, ['current', 'next'], t) && (
              <Alert color="red" variant="light">
                {formError(error, ['current', 'next'], t)}
              </Alert>
            )}
            <Button type="submit" loading={busy} data-testid="change-submit">
              {t('people.change.submit')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </div>
  );
}
