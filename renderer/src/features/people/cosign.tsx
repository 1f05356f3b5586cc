import { useCallback, useMemo, useState, type ReactNode } from 'react';
import { Group, Paper, PasswordInput, Text, TextInput } from '@mantine/core';
import { IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ContractError, CosignAct, type Cosign } from '@shared';
import { cosignActLabel, describeFailure, issueMessage } from '../../app/errors';

export interface CosignFields {
  /** Put on the command's input as `cosign`: present while the fields are shown. */
  value: Cosign | undefined;
  /** The second person's fields, or null when the act needs none. */
  fields: ReactNode;
  /**
   * A refused co-signature, or the core asking for one (when the form could not know, e.g. an early
   * release on a clock the core reads): shown beside the fields. True when the error was one of those.
   */
  handle(error: unknown): boolean;
}

/** Reasons about the co-signature itself: shown in the co-sign box, not as a toast. */
const COSIGN_REASONS = new Set(['auth.cosign_required', 'auth.cosign_self', 'auth.cosign_forbidden', 'auth.cosign_password_change', 'auth.own_work']);

/**
 * Co-sign (四眼原则) on the acting person's own form: a second person (shift leader or town leader)
 * types their staff number and password here; the core checks them and records both people. The
 * fields show when the form knows the act needs them (`act`), or once the core says so.
 */
export function useCosign(act: CosignAct | null, testId = 'cosign'): CosignFields {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<CosignAct | null>(null);
  const [staffNo, setStaffNo] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{ staffNo?: string; password?: string; box?: string }>({});
  const shown = act ?? asked;

  const handle = useCallback(
    (error: unknown): boolean => {
      if (!(error instanceof ContractError)) return false;
      const onFields = error.issues.filter((i) => i.path === 'cosign.staffNo' || i.path === 'cosign.password');
      if (onFields.length) {
        const next: typeof errors = {};
        for (const issue of onFields) next[issue.path === 'cosign.staffNo' ? 'staffNo' : 'password'] = issueMessage(issue, t);
        setErrors(next);
        return true;
      }
      if (!COSIGN_REASONS.has(error.reason ?? '')) return false;
      if (error.reason === 'auth.cosign_required') {
        const parsed = CosignAct.safeParse(error.params.act);
        setAsked(parsed.success ? parsed.data : 'settings.change');
      }
      setErrors({ box: describeFailure(error, t).message });
      return true;
    },
    [t],
  );

  const fields = useMemo(
    () =>
      shown ? (
        <Paper withBorder p="sm" radius="sm" className="cosign-box" data-testid={testId}>
          <Group gap={6} mb={4}>
            <IconUsers size={16} />
            <Text size="sm" fw={600}>
              {t('people.cosign.title')}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" mb="xs">
            {t('people.cosign.hint', { act: cosignActLabel(shown, t) })}
          </Text>
          <Group grow align="flex-start" gap="sm">
            <TextInput
              label={t('people.cosign.staffNo')}
              value={staffNo}
              onChange={(e) => {
                setStaffNo(e.currentTarget.value);
                setErrors({});
              }}
              error={errors.staffNo}
              autoComplete="off"
              withAsterisk
              data-testid={`${testId}-staff-no`}
            />
            <PasswordInput
              label={t('people.cosign.password')}
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                setErrors({});
              }}
              error={errors.password}
              // Another person's password: the browser must not offer to keep it in this person's profile.
              autoComplete="new-password"
              withAsterisk
              data-testid={`${testId}-password`}
            />
          </Group>
          {errors.box && (
            <Text size="xs" c="red.5" mt="xs" data-testid={`${testId}-error`}>
              {errors.box}
            </Text>
          )}
        </Paper>
      ) : null,
    [shown, staffNo, password, errors, t, testId],
  );

  return {
    value: shown && (staffNo || password) ? { staffNo: staffNo.trim(), password } : undefined,
    fields,
    handle,
  };
}
