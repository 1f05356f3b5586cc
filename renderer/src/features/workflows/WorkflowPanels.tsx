import { useEffect, useState, type FormEvent } from 'react';
import { ActionIcon, Badge, Button, Group, Modal, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconAlertTriangle, IconBell, IconClockPlus, IconEye, IconPhone, IconPrinter, IconRadio } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  DEFAULT_WORKFLOW_SETTINGS,
  daysBetween,
  deadlineState,
  isWorkflowClosed,
  policeTimers,
  shanghaiDate,
  type Incident,
  type PersonView,
  type Timer,
  type Workflow,
  type WorkflowAction,
  type WorkflowSettings,
} from '@shared';
import { useClient, useCoreEvent } from '../../transport/ClientProvider';
import { formatDateTime, formatShort } from '../incidents/common/format';
import { useLanguage } from '../../i18n';
import { useNow } from '../system/clock';
import { formatTimer, formatYuan, notifyWorkflowFailure, useWorkflowData, useSecondTicker } from './common';
import { DispatchSlip, type SlipData } from './DispatchSlip';
import { StepModal, type OwnCommand, type PanelRequest } from './StepModal';
import { useCosign } from '../people/cosign';
import { usePermission } from '../people/session';
import './workflows.css';

const STATUS_COLOR: Record<string, string> = {
  dispatched: 'red',
  acknowledged: 'orange',
  on_scene: 'yellow',
  outcome_recorded: 'cyan',
  open: 'grape',
  agreed: 'teal',
  failed: 'red',
  active: 'orange',
  closed: 'gray',
};

/** The workflows hung on one incident, reloaded whenever the incident changes (its version). */
export function WorkflowPanels({ incident, onChanged, run }: { incident: Incident; onChanged(): void; run: OwnCommand }) {
  const { t } = useTranslation();
  const client = useClient();
  const [workflows, load] = useWorkflowData<Workflow[]>([], () => client.invoke('workflows.forIncident', { incidentId: incident.id }), t, { key: `${incident.id}:${incident.version}` });
  const [settings, setSettings] = useState<WorkflowSettings>(DEFAULT_WORKFLOW_SETTINGS);
  const [request, setRequest] = useState<PanelRequest | null>(null);
  const [slip, setSlip] = useState<SlipData | null>(null);
  const [revealed, setRevealed] = useState<Record<string, { idNumber: string; phone: string }>>({});

  useEffect(() => {
    setRevealed({});
  }, [incident.id]);
  useEffect(() => {
    client.invoke('workflows.settings', {}).then(setSettings, () => undefined);
  }, [client]);
  useCoreEvent('workflow.changed', ({ incidentId }) => {
    if (incidentId === incident.id) void load();
  });

  // Seconds only while a police timer runs; deadlines are fine with the app's 15-second clock.
  const live = workflows.some((w) => w.kind === 'police' && !w.police?.arrivedAt && !isWorkflowClosed(w.status));
  const ticking = useSecondTicker(live);
  const slow = useNow();
  const now = live ? ticking : Math.max(slow, ticking);

  // Unmasking is co-signed (四眼原则): the eye opens a small form for the second person.
  const [revealing, setRevealing] = useState<{ workflow: Workflow; personId: string } | null>(null);
  const reveal = (workflow: Workflow, personId: string) => setRevealing({ workflow, personId });

  if (!workflows.length) {
    return (
      <Text size="xs" c="dimmed" data-testid="workflow-panels-empty">
        {t('wf.panel.empty')}
      </Text>
    );
  }

  return (
    <div className="wf-panels" data-testid="workflow-panels">
      {workflows.map((w) => {
        const closed = isWorkflowClosed(w.status);
        const state = deadlineState(w.deadline, closed, now);
        return (
          <div key={w.id} className="wf-card" data-kind={w.kind} data-closed={closed || undefined} data-testid={`workflow-${w.kind}`} data-status={w.status}>
            <Group justify="space-between" wrap="nowrap" gap={6}>
              <Group gap={6} wrap="nowrap" miw={0}>
                <Text fw={700} size="sm">
                  {t(`wf.kind.${w.kind}`)}
                </Text>
                <Badge size="sm" variant="light" color={STATUS_COLOR[w.status] ?? 'gray'} data-testid="workflow-status">
                  {t(`wf.status.${w.status}`)}
                </Badge>
                <Text size="sm" className="ellipsis" data-testid="workflow-unit">
                  {w.unit.name}
                </Text>
              </Group>
              <Group gap={2} wrap="nowrap">
                <Tooltip label={t('wf.panel.print')}>
                  <ActionIcon variant="subtle" color="gray" aria-label={t('wf.panel.print')} data-testid="workflow-print" onClick={() => setSlip({ kind: w.kind, incident, unit: w.unit, ask: w.ask, deadline: w.deadline, issuedAt: w.createdAt })}>
                    <IconPrinter size={15} />
                  </ActionIcon>
                </Tooltip>
                {!closed && (
                  <Tooltip label={t('wf.panel.urge')}>
                    <ActionIcon variant="subtle" color="yellow" aria-label={t('wf.panel.urge')} data-testid="workflow-urge" onClick={() => setRequest({ type: 'urge', workflow: w })}>
                      <IconBell size={15} />
                    </ActionIcon>
                  </Tooltip>
                )}
                {!closed && w.kind !== 'quarantine' && (
                  <Tooltip label={t('wf.panel.extendDeadline')}>
                    <ActionIcon variant="subtle" color="gray" aria-label={t('wf.panel.extendDeadline')} data-testid="workflow-extend" onClick={() => setRequest({ type: 'extendDeadline', workflow: w })}>
                      <IconClockPlus size={15} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
            </Group>
            <Group gap={14} mt={4} className="wf-line" wrap="wrap">
              {w.unit.phone && (
                <span>
                  <IconPhone size={11} /> <span className="mono">{w.unit.phone}</span>
                </span>
              )}
              {w.unit.radioChannel && (
                <span>
                  <IconRadio size={11} /> {w.unit.radioChannel}
                </span>
              )}
              <span className={state === 'overdue' ? 'wf-overdue' : undefined} data-testid="workflow-deadline" data-state={state}>
                {state === 'overdue' && <IconAlertTriangle size={11} />} {t('wf.panel.deadline')} {formatDateTime(w.deadline)}
                {state === 'overdue' ? ` · ${t('wf.panel.overdue')}` : ''}
              </span>
            </Group>
            {w.ask && <Text className="wf-line">{t('wf.panel.asked', { text: w.ask })}</Text>}

            {w.police && <PoliceDetail workflow={w} now={now} settings={settings} />}
            {w.mediation && <MediationDetail workflow={w} revealed={revealed} onReveal={(id) => void reveal(w, id)} />}
            {w.quarantine && (
              <QuarantineDetail
                workflow={w}
                now={now}
                revealed={revealed}
                onReveal={(id) => void reveal(w, id)}
                onStep={(action, person) => setRequest({ type: 'step', action, workflow: w, person })}
              />
            )}

            {w.kind !== 'quarantine' && w.allowedActions.length > 0 && (
              <Group gap={6} mt={6}>
                {w.allowedActions.map((a, i) => (
                  <Button key={a} size="compact-sm" variant={i === 0 ? 'filled' : 'light'} color={w.kind === 'police' ? 'blue' : 'grape'} onClick={() => setRequest({ type: 'step', action: a as WorkflowAction, workflow: w })} data-testid={`workflow-action-${a}`}>
                    {t(`wf.action.${a}`)}
                  </Button>
                ))}
              </Group>
            )}
          </div>
        );
      })}
      <StepModal
        run={run}
        request={request}
        onClose={() => setRequest(null)}
        onDone={() => {
          setRequest(null);
          void load();
          onChanged();
        }}
      />
      <DispatchSlip slip={slip} onClose={() => setSlip(null)} />
      <Modal
        opened={revealing !== null}
        onClose={() => setRevealing(null)}
        size={480}
        title={t('wf.panel.revealTitle')}
        classNames={{ title: 'modal-title', header: 'modal-header' }}
      >
        {revealing && (
          <RevealForm
            workflow={revealing.workflow}
            personId={revealing.personId}
            run={run}
            onClose={() => setRevealing(null)}
            onRevealed={(person) => {
              setRevealed((r) => ({ ...r, [revealing.personId]: person }));
              setRevealing(null);
              onChanged();
            }}
          />
        )}
      </Modal>
    </div>
  );
}

/** The second person confirms that this person's full ID number and phone may be shown; the look is on the timeline. */
function RevealForm({
  workflow,
  personId,
  run,
  onClose,
  onRevealed,
}: {
  workflow: Workflow;
  personId: string;
  run: OwnCommand;
  onClose(): void;
  onRevealed(person: { idNumber: string; phone: string }): void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const cosign = useCosign('person.reveal');
  const [busy, setBusy] = useState(false);
  const name =
    workflow.quarantine?.persons.find((p) => p.id === personId)?.name ?? workflow.mediation?.parties.find((p) => p.id === personId)?.name ?? '';
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      const { person } = await run(client.invoke('workflows.revealPerson', { workflowId: workflow.id, personId, cosign: cosign.value }));
      onRevealed({ idNumber: person.idNumber, phone: person.phone });
    } catch (error) {
      setBusy(false);
      if (cosign.handle(error)) return;
      notifyWorkflowFailure(error, t);
      onClose();
    }
  };
  return (
    <form onSubmit={submit} noValidate data-testid="reveal-form">
      <Stack gap="sm">
        <Text size="sm">{t('wf.panel.revealWho', { name })}</Text>
        {cosign.fields}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose} disabled={busy}>
            {t('action.cancel')}
          </Button>
          <Button type="submit" loading={busy} leftSection={<IconEye size={14} />} data-testid="reveal-confirm">
            {t('wf.panel.revealConfirm')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function TimerChip({ label, timer, testId }: { label: string; timer: Timer; testId: string }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('wf.panel.limit', { limit: formatTimer(timer.limitMs) })}>
      <span className="wf-timer" data-over={timer.over || undefined} data-stopped={timer.stopped || undefined} data-testid={testId}>
        {label} <b>{formatTimer(timer.elapsedMs)}</b>
      </span>
    </Tooltip>
  );
}

function PoliceDetail({ workflow, now, settings }: { workflow: Workflow; now: number; settings: WorkflowSettings }) {
  const { t } = useTranslation();
  const police = workflow.police!;
  const timers = policeTimers({ dispatchedAt: workflow.createdAt, acknowledgedAt: police.acknowledgedAt, arrivedAt: police.arrivedAt }, now, settings);
  return (
    <Stack gap={4} mt={6}>
      <Group gap={8}>
        <TimerChip label={t('wf.panel.ackTimer')} timer={timers.acknowledge} testId="timer-ack" />
        <TimerChip label={t('wf.panel.arrivalTimer')} timer={timers.arrival} testId="timer-arrival" />
      </Group>
      {police.outcome && (
        <Text size="sm" fw={600} c="cyan.3" data-testid="police-outcome">
          {t(`wf.outcomeText.${police.outcome.kind}`, { count: police.outcome.kind === 'arrested' ? police.outcome.count : 0 })}
        </Text>
      )}
    </Stack>
  );
}

function Masked({ masked, full, onReveal, testId }: { masked: string; full?: string; onReveal(): void; testId: string }) {
  const { t } = useTranslation();
  // Only roles that may see full numbers get the eye (the core refuses the others anyway).
  const canReveal = usePermission('persons.reveal');
  if (!masked) return <span className="muted">—</span>;
  return (
    <Group gap={2} wrap="nowrap" component="span">
      <span className="mono" data-testid={testId}>
        {full ?? masked}
      </span>
      {full === undefined && canReveal.allowed && (
        <Tooltip label={t('wf.panel.reveal')}>
          <ActionIcon size="xs" variant="subtle" color="gray" onClick={onReveal} aria-label={t('wf.panel.reveal')} data-testid={`${testId}-reveal`}>
            <IconEye size={12} />
          </ActionIcon>
        </Tooltip>
      )}
    </Group>
  );
}

function MediationDetail({ workflow, revealed, onReveal }: { workflow: Workflow; revealed: Record<string, { idNumber: string; phone: string }>; onReveal(id: string): void }) {
  const { t } = useTranslation();
  const { language } = useLanguage();
  const m = workflow.mediation!;
  return (
    <Stack gap={3} mt={4}>
      <Text className="wf-line">
        {t(`wf.level.${m.level}`)} · {t(`wf.dispute.${m.disputeType}`)} · {t('wf.panel.amount', { amount: formatYuan(m.amountInDispute, language), visitors: m.visitorCount })}
      </Text>
      {(m.lawyer || m.counsellor) && (
        <Text className="wf-line" data-testid="mediation-participants">
          {[m.lawyer && t('wf.panel.lawyer', { name: m.lawyer.name }), m.counsellor && t('wf.panel.counsellor', { name: m.counsellor.name })].filter(Boolean).join(' · ')}
        </Text>
      )}
      {m.parties.length > 0 && (
        <Table className="wf-table" withRowBorders={false}>
          <Table.Tbody>
            {m.parties.map((p) => (
              <Table.Tr key={p.id} data-testid="mediation-party">
                <Table.Td>{p.name}</Table.Td>
                <Table.Td>{t(`wf.role.${p.role}`)}</Table.Td>
                <Table.Td>
                  <Masked masked={p.phoneMasked} full={revealed[p.id]?.phone} onReveal={() => onReveal(p.id)} testId="party-phone" />
                </Table.Td>
                <Table.Td>
                  <Masked masked={p.idNumberMasked} full={revealed[p.id]?.idNumber} onReveal={() => onReveal(p.id)} testId="party-id" />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {m.sessions.map((s, i) => (
        <Text key={i} className="wf-line" data-testid="mediation-session">
          {t('wf.panel.session', { time: `${formatShort(s.startAt)}–${formatShort(s.endAt).slice(6)}`, room: s.room, attendees: s.attendees.join('、') })}
          {s.minutes ? ` · ${s.minutes}` : ''}
        </Text>
      ))}
      {m.agreement && (
        <Text size="sm" c="teal.3" fw={600} data-testid="mediation-agreement">
          {t('wf.panel.agreement', { amount: formatYuan(m.agreement.amountSettled, language), terms: m.agreement.terms })}
        </Text>
      )}
      {m.failureReason && <Text className="wf-line">{t('wf.panel.failure', { text: m.failureReason })}</Text>}
    </Stack>
  );
}

function QuarantineDetail({
  workflow,
  now,
  revealed,
  onReveal,
  onStep,
}: {
  workflow: Workflow;
  now: number;
  revealed: Record<string, { idNumber: string; phone: string }>;
  onReveal(id: string): void;
  onStep(action: 'check' | 'extend' | 'release', person: PersonView): void;
}) {
  const { t } = useTranslation();
  const today = shanghaiDate(now);
  return (
    <Stack gap={4} mt={6}>
      {workflow.quarantine!.persons.map((p) => {
        const last = p.checks.at(-1);
        const inQuarantine = p.status === 'in_quarantine';
        return (
          <Group key={p.id} justify="space-between" gap={6} className="wf-person" data-testid="quarantine-person" data-status={p.status}>
            <Group gap={10} wrap="nowrap" className="wf-line">
              <Text size="sm" fw={600} className="nowrap">
                {p.name}
              </Text>
              <Masked masked={p.idNumberMasked} full={revealed[p.id]?.idNumber} onReveal={() => onReveal(p.id)} testId="person-id-number" />
              <span className="nowrap">
                {inQuarantine
                  ? t('wf.panel.day', { day: Math.max(1, daysBetween(p.startDate, today) + 1), term: daysBetween(p.startDate, p.endDate) })
                  : t('wf.status.released')}
              </span>
              <span className="nowrap">{t('wf.panel.ends', { date: p.endDate.slice(5) })}</span>
              <span className="nowrap">{last ? t('wf.panel.lastCheck', { temp: last.temperature.toFixed(1) }) : t('wf.panel.checks', { count: 0 })}</span>
            </Group>
            {inQuarantine && (
              <Group gap={4} wrap="nowrap">
                {(['check', 'extend', 'release'] as const).map((a) => (
                  <Button key={a} size="compact-xs" variant={a === 'check' ? 'light' : 'subtle'} color="orange" onClick={() => onStep(a, p)} data-testid={`person-action-${a}`}>
                    {t(`wf.action.${a}`)}
                  </Button>
                ))}
              </Group>
            )}
          </Group>
        );
      })}
    </Stack>
  );
}
