import { IconCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '@shared';

const STAGES = ['reported', 'dispatched', 'in_progress', 'feedback_submitted', 'closed', 'assessed'] as const;

/** The grid-management closed loop, with this incident's position on it. */
export function LoopProgress({ incident }: { incident: Pick<Incident, 'status' | 'assessment'> }) {
  const { t } = useTranslation();
  const reached = incident.assessment ? STAGES.length - 1 : STAGES.indexOf(incident.status);
  return (
    <ol className="loop" data-testid="loop-progress">
      {STAGES.map((stage, i) => {
        const state = i < reached || (i === reached && i === STAGES.length - 1) ? 'done' : i === reached ? 'current' : 'todo';
        return (
          <li
            key={stage}
            className="loop-step"
            data-state={state}
            data-stage={stage}
            data-reached={i === reached || undefined}
            title={t(`loop.${stage}`)}
          >
            <span className="loop-dot">{state === 'done' ? <IconCheck size={9} stroke={3} /> : i + 1}</span>
            <span className="loop-label">{t(`loop.${stage}`)}</span>
          </li>
        );
      })}
    </ol>
  );
}
