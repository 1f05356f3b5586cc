import type { ReactNode } from 'react';
import { Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import type { TimelineEvent } from '@shared';
import { formatDateTime } from '../incidents/common/format';

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const num = (v: unknown) => (typeof v === 'number' ? v : 0);

function Line({ children, quote, testId }: { children: ReactNode; quote?: boolean; testId?: string }) {
  return (
    <Text size="xs" className={quote ? 'tl-line tl-quote' : 'tl-line'} data-testid={testId}>
      {children}
    </Text>
  );
}

/** Timeline lines for the workflow events (escalations, steps, urges, personal-data views); null for others. */
export function workflowEventLines(event: TimelineEvent, t: TFunction): ReactNode[] | null {
  const p = event.payload;
  const kind = str(p.kind);
  const kindLabel = kind ? t(`wf.kind.${kind}`) : '';
  const lines: ReactNode[] = [];
  switch (event.type) {
    case 'workflow_started': {
      lines.push(<Line key="s" testId="tl-workflow">{t('wf.timeline.started', { kind: kindLabel, unit: str(p.unitName) })}</Line>);
      const persons = Array.isArray(p.persons) ? (p.persons as { name?: string; idNumber?: string }[]) : [];
      if (persons.length) {
        lines.push(<Line key="p">{t('wf.timeline.persons', { names: persons.map((x) => [x.name, x.idNumber].filter(Boolean).join(' ')).join('、') })}</Line>);
      }
      if (str(p.endDate)) lines.push(<Line key="e">{t('wf.timeline.endDate', { date: str(p.endDate) })}</Line>);
      if (str(p.lawyer)) lines.push(<Line key="l">{t('wf.panel.lawyer', { name: str(p.lawyer) })}</Line>);
      if (str(p.ask)) lines.push(<Line key="a" quote>{t('wf.timeline.ask', { text: str(p.ask) })}</Line>);
      return lines;
    }
    case 'workflow_step': {
      const action = str(p.action);
      lines.push(<Line key="s" testId="tl-workflow">{t('wf.timeline.step', { kind: kindLabel, action: t(`wf.action.${action}`) })}</Line>);
      const outcome = p.outcome as { kind?: string; count?: number } | undefined;
      if (outcome?.kind) lines.push(<Line key="o">{t(`wf.outcomeText.${outcome.kind}`, { count: outcome.count ?? 0 })}</Line>);
      if (action === 'check') lines.push(<Line key="c">{t('wf.timeline.checkLine', { name: str(p.name), temp: num(p.temperature).toFixed(1) })}</Line>);
      if (action === 'release') lines.push(<Line key="r">{t(p.early ? 'wf.timeline.releasedEarly' : 'wf.timeline.released', { name: str(p.name) })}</Line>);
      if (action === 'extend') lines.push(<Line key="x">{t('wf.timeline.extendedPerson', { name: str(p.name), date: str(p.toEndDate) })}</Line>);
      if (action === 'escalate') {
        lines.push(<Line key="u">{t('wf.timeline.levelUp', { from: t(`wf.level.${str(p.fromLevel)}`), to: t(`wf.level.${str(p.toLevel)}`) })}</Line>);
      }
      if (action === 'record_agreement') lines.push(<Line key="g">{t('wf.panel.agreement', { amount: num(p.amountSettled).toLocaleString(), terms: str(p.terms) })}</Line>);
      const text = str(p.note) || str(p.reason);
      if (text) lines.push(<Line key="n" quote>{text}</Line>);
      return lines;
    }
    case 'deadline_extended':
      lines.push(<Line key="d">{t('wf.timeline.extended', { time: formatDateTime(num(p.toDeadline)) })}</Line>);
      if (str(p.approvedBy)) lines.push(<Line key="a">{t('wf.timeline.approvedBy', { name: str(p.approvedBy) })}</Line>);
      if (str(p.reason)) lines.push(<Line key="r" quote>{str(p.reason)}</Line>);
      return lines;
    case 'supervision_urged':
      if (str(p.unitName)) lines.push(<Line key="u">{t('wf.timeline.urgedTarget', { unit: `${kindLabel} · ${str(p.unitName)}` })}</Line>);
      if (str(p.note)) lines.push(<Line key="n" quote>{str(p.note)}</Line>);
      return lines;
    case 'personal_data_viewed':
      lines.push(<Line key="v">{t('wf.timeline.viewed', { name: str(p.name) })}</Line>);
      return lines;
    default:
      return null;
  }
}
