import type { HTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { IncidentStatus, Priority } from '@shared';
import { PRIORITY_COLORS, STATUS_COLORS, priorityLabel, statusLabel, statusShortLabel } from './labels';
import './badges.css';

/**
 * Plain-span badges (styled with Mantine's colour variables): the list renders dozens per frame
 * while scrolling, so they stay as light as a span can be.
 */
type BadgeSize = 'sm' | 'md';
interface BadgeBaseProps extends HTMLAttributes<HTMLSpanElement> {
  size?: BadgeSize;
  /** Pass the list's `t` to skip a hook per row. */
  t?: TFunction;
}

export function StatusBadge({
  status,
  size = 'sm',
  short = false,
  t: tProp,
  ...props
}: { status: IncidentStatus; short?: boolean } & BadgeBaseProps) {
  const { t } = useOptionalTranslation(tProp);
  return (
    <span
      data-testid="status-badge"
      data-status={status}
      className="app-badge"
      data-color={STATUS_COLORS[status]}
      data-variant="light"
      data-size={size}
      {...props}
    >
      {short ? statusShortLabel(status, t) : statusLabel(status, t)}
    </span>
  );
}

export function PriorityBadge({ priority, size = 'sm', t: tProp, ...props }: { priority: Priority } & BadgeBaseProps) {
  const { t } = useOptionalTranslation(tProp);
  const variant = priority === 1 ? 'filled' : priority === 4 ? 'outline' : 'light';
  return (
    <span
      data-testid="priority-badge"
      data-priority={priority}
      className="app-badge"
      data-color={PRIORITY_COLORS[priority]}
      data-variant={variant}
      data-size={size}
      {...props}
    >
      {priorityLabel(priority, t)}
    </span>
  );
}

/** Hooks must run unconditionally; the passed `t` (same instance) wins when given. */
function useOptionalTranslation(t?: TFunction): { t: TFunction } {
  const own = useTranslation();
  return { t: t ?? own.t };
}
