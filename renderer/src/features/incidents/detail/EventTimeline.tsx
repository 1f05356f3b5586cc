import type { ReactNode } from 'react';
import { Group, Rating, Text, ThemeIcon, Timeline, Tooltip } from '@mantine/core';
import {
  IconBuildingBroadcastTower,
  IconSignature,
  IconArrowBackUp,
  IconBell,
  IconClockPlus,
  IconEye,
  IconPhoto,
  IconShare3,
  IconSteeringWheel,
  IconCheck,
  IconClipboardCheck,
  IconEdit,
  IconFilePlus,
  IconMessage,
  IconPlayerPlay,
  IconSend,
  IconStar,
  type IconProps,
} from '@tabler/icons-react';
import { formatDistanceStrict } from 'date-fns';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ComponentType } from 'react';
import type { TimelineEvent } from '@shared';
import { useLanguage } from '../../../i18n';
import { workflowEventLines } from '../../workflows/timeline';
import { AttachmentImage } from './AttachmentImage';
import { useNow } from '../../system/clock';
import { useCategories } from '../common/categories';
import { formatDateTime, formatDateTimeSeconds, formatShort } from '../common/format';
import { assigneeKindLabel, eventTypeLabel, priorityLabel, sourceLabel, statusLabel } from '../common/labels';

const TYPE_STYLE: Record<string, { icon: ComponentType<IconProps>; color: string }> = {
  created: { icon: IconFilePlus, color: 'blue' },
  updated: { icon: IconEdit, color: 'gray' },
  dispatched: { icon: IconSend, color: 'cyan' },
  started: { icon: IconPlayerPlay, color: 'yellow' },
  feedback_submitted: { icon: IconClipboardCheck, color: 'violet' },
  feedback_rejected: { icon: IconArrowBackUp, color: 'orange' },
  closed: { icon: IconCheck, color: 'teal' },
  assessed: { icon: IconStar, color: 'accent' },
  commented: { icon: IconMessage, color: 'gray' },
  workflow_started: { icon: IconShare3, color: 'red' },
  workflow_step: { icon: IconSteeringWheel, color: 'orange' },
  deadline_extended: { icon: IconClockPlus, color: 'gray' },
  supervision_urged: { icon: IconBell, color: 'yellow' },
  personal_data_viewed: { icon: IconEye, color: 'pink' },
  attachment_added: { icon: IconPhoto, color: 'teal' },
  directive_received: { icon: IconBuildingBroadcastTower, color: 'red' },
  directive_signed: { icon: IconSignature, color: 'teal' },
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

const FIELD_LABEL_KEYS: Record<string, string> = {
  category: 'detail.fields.category',
  title: 'form.title',
  description: 'form.description',
  priority: 'detail.fields.priority',
  reporter: 'detail.fields.reporter',
  occurredAt: 'detail.fields.occurredAt',
  deadline: 'detail.fields.deadline',
  location: 'detail.fields.location',
  gridId: 'detail.fields.grid',
  source: 'detail.fields.source',
};

function useFormatValue() {
  const { t } = useTranslation();
  const { name: categoryName } = useCategories();
  return (field: string, value: unknown): string => {
    if (value === null || value === undefined || value === '') return t('detail.none');
    switch (field) {
      case 'category':
        return categoryName(String(value));
      case 'priority':
        return priorityLabel(Number(value), t);
      case 'source':
        return sourceLabel(String(value), t);
      case 'occurredAt':
      case 'deadline':
        return typeof value === 'number' ? formatDateTime(value) : String(value);
      case 'location': {
        const loc = value as { lon?: number; lat?: number };
        return typeof loc.lon === 'number' && typeof loc.lat === 'number'
          ? `${loc.lon.toFixed(5)}, ${loc.lat.toFixed(5)}`
          : t('detail.none');
      }
      default: {
        const text = typeof value === 'string' ? value : JSON.stringify(value);
        return text.length > 60 ? `${text.slice(0, 60)}…` : text;
      }
    }
  };
}

function Line({ children, quote }: { children: ReactNode; quote?: boolean }) {
  return (
    <Text size="xs" className={quote ? 'tl-line tl-quote' : 'tl-line'}>
      {children}
    </Text>
  );
}

function Payload({ event, t }: { event: TimelineEvent; t: TFunction }) {
  const formatValue = useFormatValue();
  const p = event.payload;
  const lines: ReactNode[] = [];
  const statusChange =
    // Workflow steps carry the workflow's own states; their lines say what happened.
    event.type !== 'workflow_step' && typeof p.from === 'string' && typeof p.to === 'string' && p.from !== p.to ? (
      <span className="tl-status">{t('timeline.statusChange', { from: statusLabel(p.from, t), to: statusLabel(p.to, t) })}</span>
    ) : null;

  switch (event.type) {
    case 'created': {
      lines.push(
        <Line key="c">
          {t('timeline.created', { code: str(p.code) })}
          {' · '}
          {formatValue('category', p.category)} · {formatValue('priority', p.priority)} · {formatValue('source', p.source)}
        </Line>,
      );
      break;
    }
    case 'updated': {
      const changes = (p.changes ?? {}) as Record<string, { from?: unknown; to?: unknown }>;
      for (const [field, change] of Object.entries(changes).slice(0, 8)) {
        const label = FIELD_LABEL_KEYS[field] ? t(FIELD_LABEL_KEYS[field]) : field;
        lines.push(
          <Line key={field}>
            {t('timeline.changeDetail', {
              field: label,
              from: formatValue(field, change?.from),
              to: formatValue(field, change?.to),
            })}
          </Line>,
        );
      }
      break;
    }
    case 'dispatched': {
      const assignee = p.assignee as { kind?: string; name?: string } | undefined;
      if (assignee?.name) {
        lines.push(
          <Line key="a">
            {assignee.name.startsWith(assigneeKindLabel(assignee.kind ?? '', t))
              ? t('timeline.assigneeName', { name: assignee.name })
              : t('timeline.assignee', { kind: assigneeKindLabel(assignee.kind ?? '', t), name: assignee.name })}
          </Line>,
        );
      }
      if (str(p.note)) lines.push(<Line key="n" quote>{t('timeline.note', { text: str(p.note) })}</Line>);
      break;
    }
    case 'started':
    case 'closed':
      if (str(p.note)) lines.push(<Line key="n" quote>{t('timeline.note', { text: str(p.note) })}</Line>);
      break;
    case 'feedback_submitted':
      lines.push(<Line key="r" quote>{t('timeline.result', { text: str(p.result) })}</Line>);
      break;
    case 'feedback_rejected':
      lines.push(<Line key="r" quote>{t('timeline.reason', { text: str(p.reason) })}</Line>);
      break;
    case 'assessed': {
      const a = (p.assessment ?? {}) as { score?: number; comment?: string };
      lines.push(
        <Group key="s" gap={6} className="tl-line">
          <Rating value={a.score ?? 0} readOnly size="xs" />
          <Text size="xs">{t('timeline.score', { score: a.score ?? '?' })}</Text>
        </Group>,
      );
      if (a.comment) lines.push(<Line key="c" quote>{t('timeline.comment', { text: a.comment })}</Line>);
      break;
    }
    case 'commented':
      lines.push(<Line key="t" quote>{str(p.text)}</Line>);
      break;
    case 'directive_received':
      lines.push(<Line key="i">{t('timeline.directive', { issuer: str(p.issuer), mode: t(`link.directives.mode.${str(p.mode) === 'supervise' ? 'supervise' : 'assign'}`) })}</Line>);
      lines.push(<Line key="t" quote>{str(p.text)}</Line>);
      break;
    case 'directive_signed':
      lines.push(<Line key="s">{t('timeline.directiveSigned', { name: p.signerStaffNo ? t('link.person', { name: str(p.signer), staffNo: str(p.signerStaffNo) }) : str(p.signer) })}</Line>);
      break;
    case 'attachment_added':
      lines.push(<AttachmentImage key="a" attachmentId={str(p.attachmentId)} caption={str(p.name)} />);
      break;
    default:
      lines.push(...(workflowEventLines(event, t) ?? []));
      break;
  }
  return (
    <>
      {statusChange}
      {lines}
    </>
  );
}

export function EventTimeline({ events }: { events: TimelineEvent[] }) {
  const { t } = useTranslation();
  const { dateLocale } = useLanguage();
  const now = useNow();
  if (!events.length) {
    return (
      <Text size="xs" c="dimmed" data-testid="timeline">
        {t('timeline.empty')}
      </Text>
    );
  }
  return (
    <Timeline data-testid="timeline" bulletSize={22} lineWidth={2} active={events.length - 1} className="event-timeline">
      {events.map((event) => {
        const style = TYPE_STYLE[event.type] ?? TYPE_STYLE.updated!;
        const Icon = style.icon;
        return (
          <Timeline.Item
            key={event.id}
            data-testid="timeline-item"
            data-type={event.type}
            bullet={
              <ThemeIcon size={22} radius="xl" color={style.color} variant="light" className="tl-bullet">
                <Icon size={12} stroke={2} />
              </ThemeIcon>
            }
            title={
              <Group justify="space-between" gap="xs" wrap="nowrap" className="tl-head">
                <Group gap={8} wrap="nowrap" className="tl-head-main">
                  <Text size="sm" fw={600} c={`${style.color === 'gray' ? 'dark.0' : `${style.color}.4`}`} className="tl-type">
                    {eventTypeLabel(event.type, t)}
                  </Text>
                  <Text size="xs" c="dimmed" className="tl-actor">
                    {t('timeline.by', { actor: event.actor })}
                  </Text>
                  {event.cosigner && (
                    <Text size="xs" c="teal.4" className="tl-actor" data-testid="tl-cosigner">
                      {t('people.cosign.by', { name: event.cosigner.name })}
                    </Text>
                  )}
                </Group>
                <Tooltip
                  label={`${formatDateTimeSeconds(event.at)} · ${formatDistanceStrict(event.at, now, { locale: dateLocale, addSuffix: true })}`}
                >
                  <Text size="xs" c="dimmed" className="tl-time">
                    {formatShort(event.at)}
                  </Text>
                </Tooltip>
              </Group>
            }
          >
            <div className="tl-body">
              <Payload event={event} t={t} />
            </div>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
