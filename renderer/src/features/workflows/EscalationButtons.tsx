import { useEffect } from 'react';
import { Button, Kbd, Tooltip } from '@mantine/core';
import { IconHeartHandshake, IconShieldHalf, IconVirus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { WORKFLOW_KINDS, type WorkflowKind } from '@shared';
import { plainShortcut } from '../../app/keyboard';

/** The single keys that open each escalation sheet from the incident detail. */
export const ESCALATION_KEYS: Record<WorkflowKind, string> = { police: 'p', mediation: 'm', quarantine: 'q' };
export const ESCALATION_ICONS = { police: IconShieldHalf, mediation: IconHeartHandshake, quarantine: IconVirus } as const;
const COLORS = { police: 'blue', mediation: 'grape', quarantine: 'orange' } as const;

/**
 * The list row's one-click escalation: three small buttons shown on the hovered, selected or
 * keyboard-cursor row. Plain buttons (no Mantine hooks): they mount with every visible row.
 */
export function RowEscalation({ id, onEscalate, t }: { id: string; onEscalate(id: string, kind: WorkflowKind): void; t: TFunction }) {
  return (
    <span className="row-escalation" data-testid="row-escalation">
      {WORKFLOW_KINDS.map((kind) => {
        const Icon = ESCALATION_ICONS[kind];
        const label = `${t(`wf.kindShort.${kind}`)} (${ESCALATION_KEYS[kind].toUpperCase()})`;
        return (
          <button
            key={kind}
            type="button"
            className={`row-escalate row-escalate--${kind}`}
            title={label}
            aria-label={label}
            data-testid={`row-escalate-${kind}`}
            onClick={(event) => {
              event.stopPropagation();
              onEscalate(id, kind);
            }}
          >
            <Icon size={14} />
          </button>
        );
      })}
    </span>
  );
}

/** `denied`: why this window's person may not escalate (the buttons show disabled, with it as their tooltip). */
export function EscalationButtons({ onEscalate, denied }: { onEscalate(kind: WorkflowKind): void; denied?: string | null }) {
  const { t } = useTranslation();
  return (
    <Button.Group className="esc-buttons" data-testid="escalation-buttons" ml="auto">
      {WORKFLOW_KINDS.map((kind) => {
        const Icon = ESCALATION_ICONS[kind];
        return (
          <Tooltip key={kind} label={denied ?? t('wf.escalate.shortcut', { key: ESCALATION_KEYS[kind].toUpperCase() })} openDelay={300}>
            <Button
              variant="light"
              color={COLORS[kind]}
              leftSection={<Icon size={14} />}
              onClick={() => onEscalate(kind)}
              disabled={!!denied}
              data-testid={`escalate-${kind}`}
            >
              {t(`wf.kindShort.${kind}`)}
              <Kbd ml={6} size="xs">
                {ESCALATION_KEYS[kind].toUpperCase()}
              </Kbd>
            </Button>
          </Tooltip>
        );
      })}
    </Button.Group>
  );
}

/** P / M / Q open the sheets while an incident is shown and nothing else holds the keyboard. */
export function useEscalationShortcuts(enabled: boolean, onEscalate: (kind: WorkflowKind) => void): void {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!plainShortcut(event)) return;
      const kind = WORKFLOW_KINDS.find((k) => ESCALATION_KEYS[k] === event.key.toLowerCase());
      if (!kind) return;
      event.preventDefault();
      onEscalate(kind);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, onEscalate]);
}
