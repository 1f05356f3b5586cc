import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Input, Modal, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ContractError, LIMITS, Transition, cosignFor, type Incident, type Transition as TransitionInput, type TransitionAction } from '@shared';
import { notifyFailure } from '../../../app/errors';
import { useClient } from '../../../transport/ClientProvider';
import { serverFieldErrors, zodFieldErrors, type FieldErrors } from '../common/issues';
import { actionLabel } from '../common/labels';
import { ScoreInput } from './ScoreInput';
import { useCosign } from '../../people/cosign';

type Field = 'kind' | 'name' | 'note' | 'result' | 'reason' | 'score' | 'comment';

function fieldOf(path: string): Field | undefined {
  switch (path) {
    case 'assignee.kind':
      return 'kind';
    case 'assignee.name':
    case 'assignee':
      return 'name';
    case 'assessment.score':
    case 'assessment':
      return 'score';
    case 'assessment.comment':
      return 'comment';
    case 'note':
    case 'result':
    case 'reason':
      return path;
    default:
      return undefined;
  }
}

const TITLE_KEYS: Record<TransitionAction, string> = {
  dispatch: 'dispatch.title',
  start: 'start.title',
  submit_feedback: 'feedback.title',
  reject_feedback: 'reject.title',
  close: 'closeAction.title',
  assess: 'assess.title',
};

export const ACTION_COLORS: Record<TransitionAction, string> = {
  dispatch: 'cyan',
  start: 'yellow',
  submit_feedback: 'violet',
  reject_feedback: 'orange',
  close: 'teal',
  assess: 'accent',
};

export interface ActionModalProps {
  action: TransitionAction | null;
  incident: Incident;
  onClose(): void;
  /** Done (or a conflict): the detail reloads. */
  onDone(): void;
  run<T>(work: Promise<T>): Promise<T>;
}

export function ActionModal({ action, incident, onClose, onDone, run }: ActionModalProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={action !== null}
      onClose={onClose}
      size={480}
      title={action ? t(TITLE_KEYS[action], { code: incident.code }) : ''}
      classNames={{ title: 'modal-title', header: 'modal-header' }}
    >
      {action && <ActionForm action={action} incident={incident} onClose={onClose} onDone={onDone} run={run} />}
    </Modal>
  );
}

function ActionForm({ action, incident, onClose, onDone, run }: ActionModalProps & { action: TransitionAction }) {
  const { t } = useTranslation();
  const client = useClient();
  const [kind, setKind] = useState<'unit' | 'grid_worker'>(incident.assignee?.kind ?? 'unit');
  const [name, setName] = useState(incident.assignee?.name ?? '');
  const [note, setNote] = useState('');
  const [result, setResult] = useState('');
  const [reason, setReason] = useState('');
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const firstField = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  // Closing and assessing are confirmed by a second person on this form (四眼原则).
  const cosign = useCosign(cosignFor('incidents.transition', { transition: { action } }));

  useEffect(() => {
    firstField.current?.focus();
  }, []);

  const clear = (field: Field) => errors[field] && setErrors((e) => ({ ...e, [field]: undefined }));

  function build(): TransitionInput {
    switch (action) {
      case 'dispatch':
        return { action, assignee: { kind, name }, note };
      case 'start':
        return { action, note };
      case 'submit_feedback':
        return { action, result };
      case 'reject_feedback':
        return { action, reason };
      case 'close':
        return { action, note };
      case 'assess':
        return { action, assessment: { score, comment } };
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const transition = build();
    const parsed = Transition.safeParse(transition);
    if (!parsed.success) {
      const { fields, unmapped } = zodFieldErrors(parsed.error, fieldOf, t, transition);
      if (action === 'assess' && fields.score) fields.score = t('validation.scoreRequired');
      setErrors(fields);
      if (unmapped.length) setFormError(unmapped.join('；'));
      return;
    }
    setBusy(true);
    try {
      // No toast: the status badge, progress strip and timeline change right where the operator looks.
      await run(client.invoke('incidents.transition', { id: incident.id, expectedVersion: incident.version, transition, cosign: cosign.value }));
      onDone();
    } catch (error) {
      if (cosign.handle(error)) {
        setBusy(false);
        return;
      }
      const mapped = serverFieldErrors(error, fieldOf, t);
      if (mapped) {
        setErrors(mapped.fields);
        if (mapped.unmapped.length) setFormError(mapped.unmapped.join('；'));
        setBusy(false);
        return;
      }
      notifyFailure(error, t);
      setBusy(false);
      if (error instanceof ContractError && (error.code === 'conflict' || error.code === 'not_found')) onDone();
    }
  }

  return (
    <form onSubmit={submit} noValidate data-testid={`action-form-${action}`}>
      <Stack gap="sm">
        {action === 'dispatch' && (
          <>
            <Input.Wrapper label={t('dispatch.kind')} data-testid="field-assignee-kind" error={errors.kind}>
              <SegmentedControl
                fullWidth
                value={kind}
                onChange={(v) => setKind(v as 'unit' | 'grid_worker')}
                data={[
                  { value: 'unit', label: t('assigneeKind.unit') },
                  { value: 'grid_worker', label: t('assigneeKind.grid_worker') },
                ]}
              />
            </Input.Wrapper>
            <TextInput
              ref={firstField}
              wrapperProps={{ 'data-testid': 'field-assignee-name' } as Record<string, string>}
              label={t('dispatch.name')}
              placeholder={t('dispatch.namePlaceholder')}
              value={name}
              onChange={(e) => {
                setName(e.currentTarget.value);
                clear('name');
              }}
              error={errors.name}
              withAsterisk
              maxLength={LIMITS.person + 20}
            />
            <Textarea
              wrapperProps={{ 'data-testid': 'field-note' } as Record<string, string>}
              label={t('dispatch.note')}
              placeholder={t('dispatch.notePlaceholder')}
              value={note}
              onChange={(e) => {
                setNote(e.currentTarget.value);
                clear('note');
              }}
              error={errors.note}
              autosize
              minRows={2}
              maxRows={6}
            />
          </>
        )}
        {(action === 'start' || action === 'close') && (
          <>
            {action === 'close' && (
              <Alert variant="light" color="teal" icon={<IconInfoCircle size={16} />} p="xs">
                <Text size="xs">{t('closeAction.confirm')}</Text>
              </Alert>
            )}
            <Textarea
              ref={firstField}
              wrapperProps={{ 'data-testid': 'field-note' } as Record<string, string>}
              label={action === 'close' ? t('closeAction.note') : t('start.note')}
              placeholder={t('dispatch.notePlaceholder')}
              value={note}
              onChange={(e) => {
                setNote(e.currentTarget.value);
                clear('note');
              }}
              error={errors.note}
              autosize
              minRows={2}
              maxRows={6}
            />
          </>
        )}
        {action === 'submit_feedback' && (
          <Textarea
            ref={firstField}
            wrapperProps={{ 'data-testid': 'field-result' } as Record<string, string>}
            label={t('feedback.result')}
            placeholder={t('feedback.resultPlaceholder')}
            value={result}
            onChange={(e) => {
              setResult(e.currentTarget.value);
              clear('result');
            }}
            error={errors.result}
            withAsterisk
            autosize
            minRows={4}
            maxRows={10}
          />
        )}
        {action === 'reject_feedback' && (
          <Textarea
            ref={firstField}
            wrapperProps={{ 'data-testid': 'field-reason' } as Record<string, string>}
            label={t('reject.reason')}
            placeholder={t('reject.reasonPlaceholder')}
            value={reason}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              clear('reason');
            }}
            error={errors.reason}
            withAsterisk
            autosize
            minRows={3}
            maxRows={8}
          />
        )}
        {action === 'assess' && (
          <>
            <Input.Wrapper label={t('assess.score')} withAsterisk error={errors.score} data-testid="field-score">
              <Group gap="sm" mt={2}>
                <ScoreInput
                  value={score}
                  onChange={(v) => {
                    setScore(v);
                    clear('score');
                  }}
                  label={(v) => t('timeline.score', { score: v })}
                />
                <Text size="sm" c="dimmed" className="score-value">
                  {score ? `${score} / 5` : ''}
                </Text>
              </Group>
            </Input.Wrapper>
            <Textarea
              ref={firstField}
              wrapperProps={{ 'data-testid': 'field-comment' } as Record<string, string>}
              label={t('assess.comment')}
              placeholder={t('assess.commentPlaceholder')}
              value={comment}
              onChange={(e) => {
                setComment(e.currentTarget.value);
                clear('comment');
              }}
              error={errors.comment}
              autosize
              minRows={3}
              maxRows={8}
            />
          </>
        )}
        {cosign.fields}
        {formError && (
          <Text size="xs" c="red.5">
            {formError}
          </Text>
        )}
        <Group justify="flex-end" gap="xs" mt={4}>
          <Button variant="default" size="sm" onClick={onClose} disabled={busy}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" size="sm" color={ACTION_COLORS[action]} loading={busy} data-testid="action-confirm">
            {actionLabel(action, t)}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
