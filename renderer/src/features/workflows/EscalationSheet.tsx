import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Select,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Textarea,
  Tooltip,
} from '@mantine/core';
import { IconPhone, IconPlus, IconPrinter, IconRadio, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  DISPUTE_TYPES,
  Escalation,
  ID_TYPES,
  MEDIATION_LEVELS,
  PARTY_ROLES,
  TIERS,
  addDays,
  shanghaiDate,
  shanghaiDateStart,
  termDeadline,
  tierDays,
  COSIGNED_MEDIATION_LEVELS,
  type CommandOutput,
  type Escalation as EscalationInput,
  type Incident,
  type Workflow,
  type WorkflowKind,
} from '@shared';
import { useClient } from '../../transport/ClientProvider';
import { serverNow } from '../system/clock';
import { formatDateTime } from '../incidents/common/format';
import { notifyWorkflowFailure, serverPathErrors, zodPathErrors } from './common';
import { DispatchSlip, type SlipData } from './DispatchSlip';
import type { OwnCommand } from './StepModal';
import { useCosign } from '../people/cosign';
import './workflows.css';

type Prepared = CommandOutput<'workflows.prepare'>;
type Party = { name: string; role: (typeof PARTY_ROLES)[number]; phone: string; idNumber: string };
type Person = { name: string; idType: (typeof ID_TYPES)[number]; idNumber: string; nationality: string; phone: string };

export interface EscalationSheetProps {
  kind: WorkflowKind | null;
  incident: Incident;
  onClose(): void;
  onSent(workflow: Workflow, incident: Incident): void;
  run: OwnCommand;
}

/**
 * The confirm sheet behind one click (or P / M / Q): pre-filled from the incident, the recommended
 * unit selected with its phone and radio channel in view; Enter sends.
 */
export function EscalationSheet({ kind, incident, onClose, onSent, run }: EscalationSheetProps) {
  const { t } = useTranslation();
  return (
    <Modal
      opened={kind !== null}
      onClose={onClose}
      size={kind === 'police' ? 560 : 820}
      title={kind ? t('wf.escalate.title', { kind: t(`wf.kind.${kind}`), code: incident.code }) : ''}
      classNames={{ title: 'modal-title', header: 'modal-header' }}
    >
      {kind && <SheetForm key={`${kind}-${incident.id}`} kind={kind} incident={incident} onClose={onClose} onSent={onSent} run={run} />}
    </Modal>
  );
}

function SheetForm({ kind, incident, onClose, onSent, run }: EscalationSheetProps & { kind: WorkflowKind }) {
  const { t } = useTranslation();
  const client = useClient();
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [ask, setAsk] = useState(kind === 'quarantine' ? '' : incident.title);
  const [tier, setTier] = useState<(typeof TIERS)[number]>('simple');
  const [level, setLevel] = useState<(typeof MEDIATION_LEVELS)[number]>('village');
  const [disputeType, setDisputeType] = useState<(typeof DISPUTE_TYPES)[number]>(incident.category === 'petition' ? 'debt' : 'neighbour');
  const [amount, setAmount] = useState<number>(0);
  const [visitors, setVisitors] = useState<number>(0);
  const [lawyerId, setLawyerId] = useState<string | null>(null);
  const [counsellorId, setCounsellorId] = useState<string | null>(null);
  const [parties, setParties] = useState<Party[]>([]);
  const [startDate, setStartDate] = useState(() => shanghaiDate(serverNow()));
  const [termDays, setTermDays] = useState<number>(21);
  const [persons, setPersons] = useState<Person[]>([{ name: '', idType: 'resident_id', idNumber: '', nationality: '中国', phone: '' }]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [slip, setSlip] = useState<SlipData | null>(null);
  const sendRef = useRef<HTMLButtonElement>(null);
  // Mediation starting at county or city level leaves the island: a second person co-signs (四眼原则).
  const cosign = useCosign(kind === 'mediation' && (COSIGNED_MEDIATION_LEVELS as readonly string[]).includes(level) ? 'mediation.county' : null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    let live = true;
    client
      .invoke('workflows.prepare', { incidentId: incident.id, kind })
      .then((result) => {
        if (!live) return;
        setPrepared(result);
        setUnitId(result.recommendedId);
        setTermDays(result.settings.quarantineTermDays);
      })
      .catch((error: unknown) => live && setLoadError(error));
    return () => {
      live = false;
    };
  }, [client, incident.id, kind]);

  // Focus on Send once the sheet is filled, so Enter confirms. The modal's focus trap also places
  // the focus when its transition ends, so this repeats briefly unless the operator is in a field.
  useEffect(() => {
    if (!prepared) return;
    const timers = [0, 150, 350].map((ms) =>
      setTimeout(() => {
        const active = document.activeElement;
        if (!formRef.current?.contains(active)) sendRef.current?.focus();
      }, ms),
    );
    return () => timers.forEach(clearTimeout);
  }, [prepared]);

  const unit = prepared?.candidates.find((c) => c.id === unitId) ?? null;
  const settings = prepared?.settings;
  const deadline = useMemo(() => {
    if (!settings) return null;
    const now = serverNow();
    if (kind === 'police') return termDeadline(now, tierDays(tier, settings));
    if (kind === 'mediation') return termDeadline(now, settings.mediationTermDays);
    const start = shanghaiDateStart(startDate);
    return start === null || !termDays ? null : shanghaiDateStart(addDays(startDate, termDays))! + 86_400_000;
  }, [kind, settings, tier, startDate, termDays]);
  const endDate = kind === 'quarantine' && shanghaiDateStart(startDate) !== null && termDays > 0 ? addDays(startDate, termDays) : null;

  function build(): EscalationInput {
    const id = unitId ?? '';
    switch (kind) {
      case 'police':
        return { kind, unitId: id, ask, tier };
      case 'mediation':
        return {
          kind,
          unitId: id,
          ask,
          level,
          disputeType,
          amountInDispute: amount,
          visitorCount: visitors,
          lawyerId,
          counsellorId,
          parties: parties.map((p) => ({ name: p.name, role: p.role, phone: p.phone, idType: 'resident_id' as const, idNumber: p.idNumber })),
        };
      case 'quarantine':
        return { kind, unitId: id, ask, startDate, termDays, persons };
    }
  }

  async function submit(event?: FormEvent) {
    event?.preventDefault();
    if (busy) return;
    setFormError(null);
    const escalation = build();
    const parsed = Escalation.safeParse(escalation);
    if (!parsed.success) {
      setErrors(zodPathErrors(parsed.error, t, escalation).fields);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const result = await run(client.invoke('workflows.escalate', { incidentId: incident.id, escalation, cosign: cosign.value }));
      onSent(result.workflow, result.incident);
    } catch (error) {
      if (cosign.handle(error)) {
        setBusy(false);
        return;
      }
      const mapped = serverPathErrors(error, 'escalation', t);
      if (mapped) {
        setErrors(mapped.fields);
        if (mapped.other.length) setFormError(mapped.other.join('；'));
      } else {
        notifyWorkflowFailure(error, t);
      }
      setBusy(false);
    }
  }

  /** Enter in a one-line field sends (the browser does that for forms); in a text area, Ctrl+Enter or Enter alone. */
  const enterSends = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
    }
  };

  if (loadError) {
    return (
      <Alert color="red" data-testid="escalation-load-error">
        {String((loadError as Error).message ?? loadError)}
      </Alert>
    );
  }
  if (!prepared) return <Loader size="sm" />;
  if (incident.status === 'closed') return <Alert color="yellow">{t('wf.escalate.closedIncident')}</Alert>;
  if (!prepared.candidates.length) return <Alert color="yellow" data-testid="escalation-no-units">{t('wf.escalate.noUnits')}</Alert>;

  const error = (path: string) => errors[path];
  const unitLabel = (c: Prepared['candidates'][number]) =>
    [
      c.name,
      c.id === prepared.recommendedId ? `★ ${t('wf.escalate.recommended')}` : null,
      c.free !== null ? (c.free > 0 ? t('wf.escalate.free', { count: c.free }) : t('wf.escalate.full')) : null,
      c.onDuty ? null : t('wf.escalate.offDuty'),
    ]
      .filter(Boolean)
      .join(' · ');

  return (
    <form ref={formRef} onSubmit={submit} noValidate data-testid={`escalation-sheet-${kind}`}>
      <Stack gap="sm">
        <Select
          label={t('wf.escalate.unit')}
          data={prepared.candidates.map((c) => ({ value: c.id, label: unitLabel(c) }))}
          value={unitId}
          onChange={(v) => {
            setUnitId(v);
            setErrors((e) => ({ ...e, unitId: '' }));
          }}
          error={error('unitId')}
          allowDeselect={false}
          withAsterisk
          data-testid="escalation-unit"
          comboboxProps={{ withinPortal: true }}
        />
        {unit && (
          <div className="esc-contact" data-testid="escalation-contact">
            <span>
              <IconPhone size={13} /> {t('wf.escalate.phone')} <b data-testid="escalation-phone">{unit.phone || t('wf.escalate.noPhone')}</b>
            </span>
            <span>
              <IconRadio size={13} /> {t('wf.escalate.radio')} <b data-testid="escalation-radio">{unit.radioChannel || '—'}</b>
            </span>
            {unit.id === prepared.recommendedId && (
              <Badge size="sm" color="teal" variant="light">
                {t('wf.escalate.recommended')}
              </Badge>
            )}
          </div>
        )}
        <Textarea
          label={t('wf.escalate.ask')}
          placeholder={t('wf.escalate.askPlaceholder')}
          value={ask}
          onChange={(e) => setAsk(e.currentTarget.value)}
          onKeyDown={enterSends}
          error={error('ask')}
          withAsterisk={kind !== 'quarantine'}
          autosize
          minRows={2}
          maxRows={5}
          data-testid="escalation-ask"
        />

        {kind === 'police' && settings && (
          <SegmentedControl
            fullWidth
            value={tier}
            onChange={(v) => setTier(v as typeof tier)}
            data={TIERS.map((tr) => ({ value: tr, label: t(`wf.tier.${tr}`, { days: tierDays(tr, settings) }) }))}
            data-testid="escalation-tier"
          />
        )}

        {kind === 'mediation' && (
          <>
            <Group grow gap="sm" align="flex-start">
              <Select
                label={t('wf.escalate.level')}
                data={MEDIATION_LEVELS.map((l) => ({ value: l, label: t(`wf.level.${l}`) }))}
                value={level}
                onChange={(v) => v && setLevel(v as typeof level)}
                allowDeselect={false}
                data-testid="escalation-level"
              />
              <Select
                label={t('wf.escalate.disputeType')}
                data={DISPUTE_TYPES.map((d) => ({ value: d, label: t(`wf.dispute.${d}`) }))}
                value={disputeType}
                onChange={(v) => v && setDisputeType(v as typeof disputeType)}
                allowDeselect={false}
                data-testid="escalation-dispute"
              />
              <NumberInput
                label={t('wf.escalate.amount')}
                value={amount}
                onChange={(v) => setAmount(typeof v === 'number' ? v : 0)}
                min={0}
                thousandSeparator=","
                allowDecimal={false}
                error={error('amountInDispute')}
                data-testid="escalation-amount"
              />
              <NumberInput
                label={t('wf.escalate.visitors')}
                value={visitors}
                onChange={(v) => setVisitors(typeof v === 'number' ? v : 0)}
                min={0}
                allowDecimal={false}
                error={error('visitorCount')}
                data-testid="escalation-visitors"
              />
            </Group>
            <Group grow gap="sm">
              <Select
                label={t('wf.escalate.lawyer')}
                placeholder={t('wf.escalate.none')}
                data={prepared.lawyers.map((u) => ({ value: u.id, label: u.name }))}
                value={lawyerId}
                onChange={setLawyerId}
                clearable
                error={error('lawyerId')}
                data-testid="escalation-lawyer"
              />
              <Select
                label={t('wf.escalate.counsellor')}
                placeholder={t('wf.escalate.none')}
                data={prepared.counsellors.map((u) => ({ value: u.id, label: u.name }))}
                value={counsellorId}
                onChange={setCounsellorId}
                clearable
                error={error('counsellorId')}
                data-testid="escalation-counsellor"
              />
            </Group>
            <Rows
              label={t('wf.escalate.parties')}
              addLabel={t('wf.escalate.addParty')}
              onAdd={() => setParties((p) => [...p, { name: '', role: p.length ? 'respondent' : 'applicant', phone: '', idNumber: '' }])}
              testId="escalation-parties"
            >
              {parties.map((party, i) => {
                const set = (patch: Partial<Party>) => setParties((all) => all.map((p, j) => (j === i ? { ...p, ...patch } : p)));
                return (
                  <div className="esc-row esc-row--party" key={i} data-testid="party-row">
                    <TextInput size="xs" placeholder={t('wf.escalate.name')} value={party.name} onChange={(e) => set({ name: e.currentTarget.value })} error={error(`parties.${i}.name`)} data-testid="party-name" />
                    <Select size="xs" data={PARTY_ROLES.map((r) => ({ value: r, label: t(`wf.role.${r}`) }))} value={party.role} onChange={(v) => v && set({ role: v as Party['role'] })} allowDeselect={false} />
                    <TextInput size="xs" placeholder={t('wf.escalate.partyPhone')} value={party.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={error(`parties.${i}.phone`)} />
                    <TextInput size="xs" placeholder={t('wf.escalate.idNumber')} value={party.idNumber} onChange={(e) => set({ idNumber: e.currentTarget.value })} error={error(`parties.${i}.idNumber`)} className="mono" />
                    <RemoveButton onClick={() => setParties((all) => all.filter((_p, j) => j !== i))} />
                  </div>
                );
              })}
            </Rows>
          </>
        )}

        {kind === 'quarantine' && (
          <>
            <Group grow gap="sm" align="flex-start">
              <TextInput
                type="date"
                label={t('wf.escalate.startDate')}
                value={startDate}
                onChange={(e) => setStartDate(e.currentTarget.value)}
                error={error('startDate')}
                data-testid="escalation-start"
              />
              <NumberInput
                label={t('wf.escalate.termDays')}
                value={termDays}
                onChange={(v) => setTermDays(typeof v === 'number' ? v : 0)}
                min={1}
                max={60}
                allowDecimal={false}
                error={error('termDays') || error('endDate')}
                description={endDate ? t('wf.escalate.endDate', { date: endDate }) : undefined}
                data-testid="escalation-term"
              />
            </Group>
            <Rows
              label={t('wf.escalate.persons')}
              addLabel={t('wf.escalate.addPerson')}
              onAdd={() => setPersons((p) => [...p, { name: '', idType: 'resident_id', idNumber: '', nationality: '中国', phone: '' }])}
              error={error('persons')}
              testId="escalation-persons"
            >
              {persons.map((person, i) => {
                const set = (patch: Partial<Person>) => setPersons((all) => all.map((p, j) => (j === i ? { ...p, ...patch } : p)));
                return (
                  <div className="esc-row esc-row--person" key={i} data-testid="person-row">
                    <TextInput size="xs" placeholder={t('wf.escalate.name')} value={person.name} onChange={(e) => set({ name: e.currentTarget.value })} error={error(`persons.${i}.name`)} data-testid="person-name" />
                    <Select size="xs" data={ID_TYPES.map((d) => ({ value: d, label: t(`wf.idType.${d}`) }))} value={person.idType} onChange={(v) => v && set({ idType: v as Person['idType'] })} allowDeselect={false} data-testid="person-id-type" />
                    <TextInput size="xs" placeholder={t('wf.escalate.idNumber')} value={person.idNumber} onChange={(e) => set({ idNumber: e.currentTarget.value })} error={error(`persons.${i}.idNumber`)} className="mono" data-testid="person-id" />
                    <TextInput size="xs" placeholder={t('wf.escalate.nationality')} value={person.nationality} onChange={(e) => set({ nationality: e.currentTarget.value })} error={error(`persons.${i}.nationality`)} />
                    <TextInput size="xs" placeholder={t('wf.escalate.partyPhone')} value={person.phone} onChange={(e) => set({ phone: e.currentTarget.value })} error={error(`persons.${i}.phone`)} data-testid="person-phone" />
                    <RemoveButton onClick={() => setPersons((all) => all.filter((_p, j) => j !== i))} />
                  </div>
                );
              })}
            </Rows>
          </>
        )}

        {cosign.fields}
        {formError && (
          <Text size="xs" c="red.5" data-testid="escalation-error">
            {formError}
          </Text>
        )}
        <Group justify="space-between" gap="xs" mt={4} wrap="nowrap">
          <Text size="xs" c="dimmed">
            {deadline ? `${t('wf.escalate.deadline', { time: formatDateTime(deadline) })} · ` : ''}
            {t('wf.escalate.enterHint')}
          </Text>
          <Group gap="xs" wrap="nowrap">
            {unit && (
              <Button
                variant="default"
                leftSection={<IconPrinter size={14} />}
                onClick={() => setSlip({ kind, incident, unit, ask, deadline, issuedAt: serverNow() })}
                data-testid="escalation-print"
              >
                {t('wf.escalate.printSlip')}
              </Button>
            )}
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('action.cancel')}
            </Button>
            <Button ref={sendRef} type="submit" loading={busy} color="red" data-testid="escalation-send">
              {t('wf.escalate.send')} ⏎
            </Button>
          </Group>
        </Group>
      </Stack>
      <DispatchSlip slip={slip} onClose={() => setSlip(null)} />
    </form>
  );
}

function Rows({ label, addLabel, onAdd, children, error, testId }: { label: string; addLabel: string; onAdd(): void; children: ReactNode; error?: string; testId: string }) {
  return (
    <div data-testid={testId}>
      <Group justify="space-between" mb={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Button size="compact-xs" variant="light" leftSection={<IconPlus size={12} />} onClick={onAdd} data-testid={`${testId}-add`}>
          {addLabel}
        </Button>
      </Group>
      <div className="esc-rows">{children}</div>
      {error && (
        <Text size="xs" c="red.5" mt={4}>
          {error}
        </Text>
      )}
    </div>
  );
}

function RemoveButton({ onClick }: { onClick(): void }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('wf.escalate.remove')}>
      <ActionIcon variant="subtle" color="gray" onClick={onClick} aria-label={t('wf.escalate.remove')}>
        <IconTrash size={14} />
      </ActionIcon>
    </Tooltip>
  );
}
