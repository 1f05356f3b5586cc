import { useEffect, useState, type ReactNode } from 'react';
import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Loader,
  Rating,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  Textarea,
  Tooltip,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconClipboardList,
  IconEdit,
  IconMapPin,
  IconSend,
  IconX,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  LIMITS,
  TRANSITION_ACTIONS,
  isEditable,
  isOverdue,
  type Incident,
  type TransitionAction,
} from '@shared';
import { useClient } from '../../../transport/ClientProvider';
import { describeFailure, notifyFailure } from '../../../app/errors';
import { useLanguage } from '../../../i18n';
import { useNow } from '../../system/clock';
import { useCategories } from '../common/categories';
import { PriorityBadge, StatusBadge } from '../common/badges';
import { SourceIcon } from '../common/SourceIcon';
import { deadlineView, formatDateTime, formatSpan } from '../common/format';
import { actionLabel, assigneeKindLabel, eventTypeLabel, sourceLabel } from '../common/labels';
import { IncidentForm } from '../form/IncidentForm';
import { ACTION_COLORS, ActionModal } from './ActionModal';
import { EventTimeline } from './EventTimeline';
import { LoopProgress } from './LoopProgress';
import { useIncidentDetail } from './useIncidentDetail';
import { EscalationButtons, useEscalationShortcuts } from '../../workflows/EscalationButtons';
import { usePermission, useSession } from '../../people/session';
import { EscalationSheet } from '../../workflows/EscalationSheet';
import { WorkflowPanels } from '../../workflows/WorkflowPanels';
import { Attachments } from '../../workflows/Attachments';
import { didWorkOn, type WorkflowKind } from '@shared';
import './incident-detail.css';

export interface IncidentDetailProps {
  id: string | null;
  /** Narrow layout: the detail replaces the list and offers a way back. */
  narrow: boolean;
  onClose(): void;
  /** The view showing it is on screen: only then do the escalation keys (P / M / Q) act. */
  active?: boolean;
  /** An escalation asked for from the list row: its sheet opens once this incident is loaded. */
  requestedEscalation?: { id: string; kind: WorkflowKind } | null;
  onEscalationTaken?(): void;
}

export function IncidentDetail({ id, narrow, onClose, active = true, requestedEscalation, onEscalationTaken }: IncidentDetailProps) {
  const { t } = useTranslation();
  const detail = useIncidentDetail(id);
  const [action, setAction] = useState<TransitionAction | null>(null);
  const [editing, setEditing] = useState<Incident | null>(null);
  const [escalation, setEscalation] = useState<WorkflowKind | null>(null);
  const canEscalate = !!detail.data && detail.data.incident.status !== 'closed';
  // What this window's person may do: buttons they may not use are disabled with the reason.
  const canReport = usePermission('incidents.report');
  const canHandle = usePermission('incidents.handle');
  const assessRole = usePermission('incidents.assess');
  const { session } = useSession();
  const canEscalateRole = usePermission('workflows.handle');
  useEscalationShortcuts(active && canEscalate && canEscalateRole.allowed && !action && !editing, setEscalation);

  useEffect(() => {
    setAction(null);
    setEditing(null);
    setEscalation(null);
  }, [id]);

  const loadedId = detail.data?.incident.id;
  useEffect(() => {
    if (!requestedEscalation || requestedEscalation.id !== id || loadedId !== id) return;
    if (canEscalate && canEscalateRole.allowed) setEscalation(requestedEscalation.kind);
    onEscalationTaken?.();
  }, [requestedEscalation, id, loadedId, canEscalate, canEscalateRole.allowed, onEscalationTaken]);

  if (!id) return <DetailEmpty />;

  if (!detail.data) {
    if (detail.error) {
      const { title, message } = describeFailure(detail.error, t);
      return (
        <div className="detail detail--state" data-testid="incident-detail">
          <Stack align="center" gap={6}>
            <IconAlertTriangle size={30} stroke={1.3} color="var(--mantine-color-red-6)" />
            <Text fw={600} size="sm">
              {t('detail.loadFailed')} · {title}
            </Text>
            <Text size="xs" c="dimmed" ta="center" maw={380}>
              {message}
            </Text>
            <Group gap="xs" mt={4}>
              <Button variant="default" onClick={() => void detail.reload()}>
                {t('list.retry')}
              </Button>
              <Button variant="subtle" color="gray" onClick={onClose}>
                {t('detail.close')}
              </Button>
            </Group>
          </Stack>
        </div>
      );
    }
    return <DetailSkeleton />;
  }

  const { incident, timeline, allowedActions } = detail.data;
  const actions = TRANSITION_ACTIONS.filter((a) => allowedActions.includes(a));
  // Nobody assesses their own work (the core refuses it too): the button says so instead of being refused.
  const canAssess =
    assessRole.allowed && didWorkOn(timeline, session.staff.id) ? { allowed: false, reason: t('people.cosign.ownWork') } : assessRole;
  // The step forward on the loop is the prominent one; sending feedback back is the exception.
  const primary = actions.find((a) => a !== 'reject_feedback');

  return (
    <div className="detail" data-testid="incident-detail" data-id={incident.id} data-version={incident.version}>
      <div className="detail-head">
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={8} wrap="nowrap" miw={0}>
            {narrow && (
              <Tooltip label={t('detail.back')}>
                <ActionIcon onClick={onClose} aria-label={t('detail.back')} data-testid="detail-back">
                  <IconArrowLeft size={16} />
                </ActionIcon>
              </Tooltip>
            )}
            <Text className="detail-code" data-testid="incident-code">
              {incident.code}
            </Text>
            <StatusBadge status={incident.status} size="md" />
            <PriorityBadge priority={incident.priority} size="md" />
            {detail.loading && <Loader size={12} color="gray" />}
            {detail.changedBy && (
              <Badge
                key={detail.changedBy.version}
                variant="dot"
                color="yellow"
                size="sm"
                className="changed-pulse"
                data-testid="detail-changed"
              >
                {t('detail.changedElsewhere', { event: eventTypeLabel(detail.changedBy.eventType, t) })}
              </Badge>
            )}
          </Group>
          <Group gap={4} wrap="nowrap">
            {isEditable(incident.status) && (
              <Tooltip label={canReport.reason} disabled={canReport.allowed}>
                <Button
                  variant="default"
                  leftSection={<IconEdit size={14} />}
                  onClick={() => setEditing(incident)}
                  disabled={!canReport.allowed}
                  data-testid="action-edit"
                >
                  {t('action.edit')}
                </Button>
              </Tooltip>
            )}
            {!narrow && (
              <Tooltip label={t('detail.close')}>
                <ActionIcon onClick={onClose} aria-label={t('detail.close')} data-testid="detail-close">
                  <IconX size={16} />
                </ActionIcon>
              </Tooltip>
            )}
          </Group>
        </Group>
        <Text className="detail-title" data-testid="incident-title">
          {incident.title}
        </Text>
        <LoopProgress incident={incident} />
        <Group gap={6} className="detail-actions" data-testid="detail-actions">
          {actions.length ? (
            actions.map((a) => (
              <Tooltip key={a} label={(a === 'assess' ? canAssess : canHandle).reason ?? t(`actionHelp.${a}`)} openDelay={500}>
                <Button
                  data-testid={`action-${a}`}
                  color={ACTION_COLORS[a]}
                  variant={a === primary ? 'filled' : 'light'}
                  onClick={() => setAction(a)}
                  disabled={!(a === 'assess' ? canAssess : canHandle).allowed}
                  data-denied={(a === 'assess' ? canAssess : canHandle).reason ?? undefined}
                >
                  {a === 'dispatch' && incident.status === 'dispatched' ? t('action.redispatch') : actionLabel(a, t)}
                </Button>
              </Tooltip>
            ))
          ) : (
            <Text size="xs" c="dimmed">
              {t('detail.noActions')}
            </Text>
          )}
          {canEscalate && <EscalationButtons onEscalate={setEscalation} denied={canEscalateRole.reason} />}
        </Group>
      </div>
      <ScrollArea className="detail-scroll" type="auto" offsetScrollbars scrollbarSize={8}>
        <div className="detail-content">
          <Fields incident={incident} />
          <Section title={t('detail.description')}>
            <Text size="sm" className="detail-description" data-testid="incident-description">
              {incident.description || <span className="muted">{t('detail.noDescription')}</span>}
            </Text>
          </Section>
          <Section title={t('wf.panel.title')}>
            <WorkflowPanels incident={incident} onChanged={() => void detail.reload()} run={detail.own} />
          </Section>
          <Section title={t('wf.attachments.title')}>
            <Attachments incident={incident} run={detail.own} />
          </Section>
          <Section
            title={t('detail.timeline')}
            aside={
              <Text size="xs" c="dimmed">
                {t('detail.timelineCount', { count: timeline.length })}
              </Text>
            }
          >
            <EventTimeline events={timeline} />
            <CommentBox incident={incident} run={detail.own} onDone={() => void detail.reload()} />
          </Section>
        </div>
      </ScrollArea>

      <ActionModal
        action={action}
        incident={incident}
        onClose={() => setAction(null)}
        onDone={() => {
          setAction(null);
          void detail.reload();
        }}
        run={detail.own}
      />
      <EscalationSheet
        kind={escalation}
        incident={incident}
        onClose={() => setEscalation(null)}
        run={detail.own}
        onSent={() => {
          setEscalation(null);
          void detail.reload();
        }}
      />
      <IncidentForm
        opened={editing !== null}
        incident={editing}
        live={incident}
        onClose={() => setEditing(null)}
        onSaved={() => {
          setEditing(null);
          void detail.reload();
        }}
      />
    </div>
  );
}

function Section({ title, aside, children }: { title: string; aside?: ReactNode; children: ReactNode }) {
  return (
    <section className="detail-section">
      <Group justify="space-between" className="section-head">
        <Text className="section-title">{title}</Text>
        {aside}
      </Group>
      {children}
    </section>
  );
}

function Field({ label, children, wide, testId }: { label: string; children: ReactNode; wide?: boolean; testId?: string }) {
  return (
    <div className={wide ? 'kv kv--wide' : 'kv'} data-testid={testId}>
      <div className="kv-label">{label}</div>
      <div className="kv-value">{children}</div>
    </div>
  );
}

function Fields({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const { dateLocale } = useLanguage();
  const now = useNow();
  const { name: categoryName } = useCategories();
  const deadline = deadlineView(incident, now, t, dateLocale);
  const overdue = isOverdue(incident, now);
  const none = <span className="muted">{t('detail.none')}</span>;
  return (
    <div className="kv-grid" data-testid="incident-fields">
      <Field label={t('detail.fields.category')} testId="detail-category">
        {categoryName(incident.category)}
      </Field>
      <Field label={t('detail.fields.source')}>
        <Group gap={5} wrap="nowrap">
          <SourceIcon source={incident.source} />
          {sourceLabel(incident.source, t)}
        </Group>
      </Field>
      <Field label={t('detail.fields.occurredAt')}>{formatDateTime(incident.occurredAt)}</Field>
      <Field label={t('detail.fields.recordedAt')}>{formatDateTime(incident.recordedAt)}</Field>
      <Field label={t('detail.fields.deadline')} testId="detail-deadline">
        <span className={overdue ? 'deadline-value overdue' : 'deadline-value'} data-overdue={overdue || undefined}>
          {formatDateTime(incident.deadline)}
          {!deadline.closed ? (
            <span className="deadline-rel">
              {overdue && <IconAlertTriangle size={12} stroke={2} />}
              {deadline.text}
            </span>
          ) : incident.closedAt !== null ? (
            <span className="deadline-rel" data-late={incident.closedAt > incident.deadline || undefined}>
              {incident.closedAt > incident.deadline
                ? t('deadline.closedLate', { duration: formatSpan(incident.closedAt - incident.deadline, dateLocale) })
                : t('deadline.closedOnTime')}
            </span>
          ) : null}
        </span>
      </Field>
      <Field label={t('detail.fields.closedAt')}>{incident.closedAt ? formatDateTime(incident.closedAt) : none}</Field>
      <Field label={t('detail.fields.reporter')}>{incident.reporter || none}</Field>
      <Field label={t('detail.fields.assignee')} testId="detail-assignee">
        {incident.assignee ? (
          <>
            <span className="assignee-kind">{assigneeKindLabel(incident.assignee.kind, t)}</span>{' '}
            {incident.assignee.name.replace(new RegExp(`^${assigneeKindLabel(incident.assignee.kind, t)}\\s*`), '')}
          </>
        ) : (
          none
        )}
      </Field>
      <Field label={t('detail.fields.location')} wide testId="detail-location">
        {incident.location || incident.gridId ? (
          <Group gap={14} wrap="nowrap">
            {incident.location ? (
              <Group gap={4} wrap="nowrap">
                <IconMapPin size={13} />
                <span className="mono">
                  {t('detail.lonLat', { lon: incident.location.lon.toFixed(5), lat: incident.location.lat.toFixed(5) })}
                </span>
              </Group>
            ) : (
              none
            )}
            <span>
              <span className="kv-label">{t('detail.fields.grid')}</span>{' '}
              {incident.gridId ? <span className="mono">{incident.gridId}</span> : none}
            </span>
          </Group>
        ) : (
          none
        )}
      </Field>
      {incident.assessment && (
        <Field label={t('detail.fields.assessment')} wide testId="detail-assessment">
          <Group gap={8} wrap="nowrap">
            <Rating value={incident.assessment.score} readOnly size="sm" />
            <Text size="sm">{t('detail.assessmentValue', { score: incident.assessment.score })}</Text>
            {incident.assessment.comment && (
              <Text size="sm" c="dimmed" className="ellipsis">
                {incident.assessment.comment}
              </Text>
            )}
          </Group>
        </Field>
      )}
      <Field label={t('detail.fields.updatedAt')} wide>
        <span className="muted-value">
          {formatDateTime(incident.updatedAt)} · {t('detail.fields.version')} {incident.version}
        </span>
      </Field>
    </div>
  );
}

function CommentBox({
  incident,
  run,
  onDone,
}: {
  incident: Incident;
  run<T>(work: Promise<T>): Promise<T>;
  onDone(): void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setText('');
    setError(null);
  }, [incident.id]);

  async function submit() {
    if (!text.trim()) {
      setError(t('validation.required'));
      return;
    }
    if (text.trim().length > LIMITS.comment) {
      setError(t('validation.tooLong', { max: LIMITS.comment }));
      return;
    }
    setBusy(true);
    try {
      await run(client.invoke('incidents.comment', { id: incident.id, text }));
      setText('');
      setError(null);
      onDone();
    } catch (e) {
      notifyFailure(e, t);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="comment-box">
      <Textarea
        wrapperProps={{ 'data-testid': 'comment-input' } as Record<string, string>}
        placeholder={t('detail.commentPlaceholder')}
        value={text}
        onChange={(e) => {
          setText(e.currentTarget.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void submit();
          }
        }}
        error={error}
        autosize
        minRows={2}
        maxRows={6}
        size="xs"
        aria-label={t('detail.commentSubmit')}
      />
      <Group justify="flex-end" mt={6}>
        <Button
          data-testid="comment-submit"
          variant="light"
          leftSection={<IconSend size={13} />}
          loading={busy}
          onClick={() => void submit()}
        >
          {t('detail.commentSubmit')}
        </Button>
      </Group>
    </div>
  );
}

function DetailSkeleton() {
  return (
    <div className="detail" data-testid="incident-detail-loading">
      <div className="detail-head">
        <Group gap={8}>
          <Skeleton height={16} width={140} />
          <Skeleton height={16} width={56} />
          <Skeleton height={16} width={40} />
        </Group>
        <Skeleton height={18} width="70%" mt={10} />
        <Skeleton height={20} mt={12} />
      </div>
      <Stack p="md" gap="xs">
        {Array.from({ length: 6 }, (_, i) => (
          <Skeleton key={i} height={12} width={`${90 - i * 8}%`} />
        ))}
      </Stack>
    </div>
  );
}

function DetailEmpty() {
  const { t } = useTranslation();
  return (
    <div className="detail detail--state" data-testid="detail-empty">
      <Stack align="center" gap={6}>
        <IconClipboardList size={38} stroke={1.1} className="empty-icon" />
        <Text fw={600} size="sm">
          {t('detail.emptyTitle')}
        </Text>
        <Text size="xs" c="dimmed" ta="center" maw={300}>
          {t('detail.emptyHint')}
        </Text>
      </Stack>
    </div>
  );
}
