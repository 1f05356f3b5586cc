import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Button, Group, Modal, NumberInput, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import {
  COSIGNED_MEDIATION_LEVELS,
  POLICE_OUTCOMES,
  WorkflowStep,
  nextLevel,
  shanghaiDate,
  type CosignAct,
  type PersonView,
  type Workflow,
  type WorkflowAction,
  type WorkflowStep as StepInput,
} from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { serverNow } from '../system/clock';
import { notifyWorkflowFailure, serverPathErrors, zodPathErrors } from './common';
import { useCosign } from '../people/cosign';

/** What the panel asks for: a step (optionally for one quarantined person), a longer term, or an urge. */
export type PanelRequest =
  | { type: 'step'; action: WorkflowAction; workflow: Workflow; person?: PersonView }
  | { type: 'extendDeadline'; workflow: Workflow }
  | { type: 'urge'; workflow: Workflow };

/**
 * The detail's wrapper for this window's own commands (so their echo is not announced as someone
 * else's change); it reads the incident's new version from the result.
 */
export type OwnCommand = <T extends { incident: { version: number } } | { version: number }>(work: Promise<T>) => Promise<T>;

const pad = (n: number) => String(n).padStart(2, '0');
/** `datetime-local` value in the PC's zone (the console runs in the town's zone). */
const toLocalInput = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
const fromLocalInput = (value: string) => (value ? new Date(value).getTime() : Number.NaN);

export function StepModal({ request, onClose, onDone, run }: { request: PanelRequest | null; onClose(): void; onDone(): void; run: OwnCommand }) {
  const { t } = useTranslation();
  const title = !request
    ? ''
    : request.type === 'step'
      ? t('wf.step.title', { action: t(`wf.action.${request.action}`), kind: request.person?.name ?? t(`wf.kind.${request.workflow.kind}`) })
      : request.type === 'urge'
        ? t('wf.panel.urge')
        : t('wf.panel.extendDeadline');
  return (
    <Modal opened={request !== null} onClose={onClose} size={520} title={title} classNames={{ title: 'modal-title', header: 'modal-header' }}>
      {request && <StepForm request={request} onClose={onClose} onDone={onDone} run={run} />}
    </Modal>
  );
}

function StepForm({ request, onClose, onDone, run }: { request: PanelRequest; onClose(): void; onDone(): void; run: OwnCommand }) {
  const { t } = useTranslation();
  const client = useClient();
  const { workflow } = request;
  const action = request.type === 'step' ? request.action : null;
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<(typeof POLICE_OUTCOMES)[number]>('arrested');
  const [count, setCount] = useState<number>(1);
  const [start, setStart] = useState(() => toLocalInput(serverNow() - 3_600_000));
  const [end, setEnd] = useState(() => toLocalInput(serverNow()));
  const [room, setRoom] = useState('');
  const [attendees, setAttendees] = useState('');
  const [amount, setAmount] = useState<number>(workflow.mediation?.amountInDispute ?? 0);
  const [temperature, setTemperature] = useState<number | string>(36.5);
  const [symptoms, setSymptoms] = useState('');
  const [days, setDays] = useState<number>(request.type === 'extendDeadline' ? 3 : 7);
  // Past the hard-case term an approver co-signs: the term comes from the settings.
  const [hardDays, setHardDays] = useState<number | null>(null);
  useEffect(() => {
    if (request.type !== 'extendDeadline') return;
    let live = true;
    client.invoke('workflows.settings', {}).then(
      (s) => live && setHardDays(s.hardDays),
      () => undefined, // The core still asks for the co-signer when it is needed; the fields then show.
    );
    return () => {
      live = false;
    };
  }, [client, request.type]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const personId = request.type === 'step' ? (request.person?.id ?? '') : '';
  // 四眼原则: an early release, mediation leaving the island, a term past the hard-case term.
  const level = workflow.mediation ? nextLevel(workflow.mediation.level) : null;
  const act: CosignAct | null =
    action === 'release' && request.type === 'step' && request.person && shanghaiDate(serverNow()) < request.person.endDate
      ? 'quarantine.early_release'
      : action === 'escalate' && level && (COSIGNED_MEDIATION_LEVELS as readonly string[]).includes(level)
        ? 'mediation.county'
        : request.type === 'extendDeadline' && hardDays !== null && days > hardDays
          ? 'deadline.beyond_hard'
          : null;
  const cosign = useCosign(act);

  function build(): StepInput | null {
    switch (action) {
      case 'acknowledge':
      case 'arrive':
      case 'close':
        return { action, note };
      case 'record_outcome':
        return { action, note, outcome: outcome === 'arrested' ? { kind: 'arrested', count } : { kind: outcome } };
      case 'add_session':
        return {
          action,
          session: {
            startAt: fromLocalInput(start),
            endAt: fromLocalInput(end),
            room,
            attendees: attendees.split(/[,，、]/).map((a) => a.trim()).filter(Boolean),
            minutes: note,
          },
        };
      case 'record_agreement':
        return { action, amountSettled: amount, terms: note };
      case 'record_failure':
      case 'escalate':
      case 'refer_court':
        return { action, reason: note };
      case 'follow_up':
        return { action, note };
      case 'check':
        return { action, personId, temperature: typeof temperature === 'number' ? temperature : Number.NaN, symptoms, note };
      case 'extend':
        return { action, personId, days, reason: note };
      case 'release':
        return { action, personId, reason: note };
      default:
        return null;
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setBusy(true);
    try {
      if (request.type === 'urge') {
        await run(client.invoke('supervision.urge', { incidentId: workflow.incidentId, workflowId: workflow.id, note }));
      } else if (request.type === 'extendDeadline') {
        await run(client.invoke('workflows.extendDeadline', { id: workflow.id, expectedVersion: workflow.version, days, reason: note, cosign: cosign.value }));
      } else {
        const step = build()!;
        const parsed = WorkflowStep.safeParse(step);
        if (!parsed.success) {
          setErrors(zodPathErrors(parsed.error, t, step).fields);
          setBusy(false);
          return;
        }
        await run(client.invoke('workflows.step', { id: workflow.id, expectedVersion: workflow.version, step, cosign: cosign.value }));
      }
      onDone();
    } catch (error) {
      if (cosign.handle(error)) {
        setBusy(false);
        return;
      }
      const mapped = serverPathErrors(error, request.type === 'step' ? 'step' : '', t);
      if (mapped) {
        setErrors(mapped.fields);
        if (mapped.other.length) setFormError(mapped.other.join('；'));
      } else {
        notifyWorkflowFailure(error, t);
        onClose();
      }
      setBusy(false);
    }
  }

  const e = (path: string) => errors[path];
  const noteField = (label: string, path: string, required = false) => (
    <Textarea
      label={label}
      value={note}
      onChange={(ev) => setNote(ev.currentTarget.value)}
      error={e(path)}
      withAsterisk={required}
      autosize
      minRows={2}
      maxRows={6}
      data-autofocus
      data-testid="step-note"
    />
  );

  return (
    <form onSubmit={submit} noValidate data-testid={`step-form-${request.type === 'step' ? action : request.type}`}>
      <Stack gap="sm">
        {action === 'record_outcome' && (
          <>
            <SegmentedControl
              fullWidth
              value={outcome}
              onChange={(v) => setOutcome(v as typeof outcome)}
              data={POLICE_OUTCOMES.map((o) => ({ value: o, label: t(`wf.outcome.${o}`) }))}
              data-testid="step-outcome"
            />
            {outcome === 'arrested' && (
              <NumberInput label={t('wf.step.count')} value={count} onChange={(v) => setCount(typeof v === 'number' ? v : 0)} min={1} allowDecimal={false} error={e('outcome.count')} data-testid="step-count" />
            )}
          </>
        )}
        {action === 'add_session' && (
          <>
            <Group grow gap="sm" align="flex-start">
              <TextInput type="datetime-local" label={t('wf.step.start')} value={start} onChange={(ev) => setStart(ev.currentTarget.value)} error={e('session.startAt')} data-testid="step-start" />
              <TextInput type="datetime-local" label={t('wf.step.end')} value={end} onChange={(ev) => setEnd(ev.currentTarget.value)} error={e('session.endAt')} data-testid="step-end" />
            </Group>
            <TextInput label={t('wf.step.room')} value={room} onChange={(ev) => setRoom(ev.currentTarget.value)} error={e('session.room')} withAsterisk data-testid="step-room" />
            <TextInput label={t('wf.step.attendees')} value={attendees} onChange={(ev) => setAttendees(ev.currentTarget.value)} error={e('session.attendees')} data-testid="step-attendees" />
          </>
        )}
        {action === 'record_agreement' && (
          <NumberInput label={t('wf.step.amountSettled')} value={amount} onChange={(v) => setAmount(typeof v === 'number' ? v : 0)} min={0} thousandSeparator="," allowDecimal={false} error={e('amountSettled')} data-testid="step-amount" />
        )}
        {action === 'escalate' && workflow.mediation && (
          <Alert color="grape" variant="light" p="xs">
            {t('wf.step.escalateTo', { level: t(`wf.level.${nextLevel(workflow.mediation.level) ?? workflow.mediation.level}`) })}
          </Alert>
        )}
        {action === 'check' && (
          <Group grow gap="sm" align="flex-start">
            <NumberInput label={t('wf.step.temperature')} value={temperature} onChange={setTemperature} decimalScale={1} step={0.1} error={e('temperature')} withAsterisk data-testid="step-temperature" />
            <TextInput label={t('wf.step.symptoms')} value={symptoms} onChange={(ev) => setSymptoms(ev.currentTarget.value)} error={e('symptoms')} />
          </Group>
        )}
        {(action === 'extend' || request.type === 'extendDeadline') && (
          <NumberInput
            label={request.type === 'extendDeadline' ? t('wf.step.termTotal') : t('wf.step.days')}
            value={days}
            onChange={(v) => setDays(typeof v === 'number' ? v : 0)}
            min={0}
            max={60}
            allowDecimal={false}
            error={e('days')}
            data-testid="step-days"
          />
        )}

        {action === 'add_session'
          ? noteField(t('wf.step.minutes'), 'session.minutes')
          : action === 'record_agreement'
            ? noteField(t('wf.step.terms'), 'terms', true)
            : action === 'record_failure' || action === 'escalate' || action === 'refer_court' || action === 'extend'
              ? noteField(t('wf.step.reason'), 'reason', true)
              : action === 'release'
                ? noteField(t('wf.step.reasonEarly'), 'reason')
                : action === 'follow_up'
                  ? noteField(t('wf.step.note'), 'note', true)
                  : request.type === 'urge'
                    ? noteField(t('wf.supervision.urgeNote'), 'note')
                    : request.type === 'extendDeadline'
                      ? noteField(t('wf.step.reason'), 'reason', true)
                      : noteField(t('wf.step.note'), 'note')}
        {cosign.fields}
        {formError && (
          <Text size="xs" c="red.5" data-testid="step-error">
            {formError}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={busy} data-testid="step-confirm">
            {t('wf.step.confirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
