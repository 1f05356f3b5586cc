import { Group, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../../i18n';
import { useNavigation } from '../../app/navigation';
import { useSecondTicker } from '../workflows/common';
import { linkSpan, useLinkStatus } from './link-status';
import './uplink.css';

/** The city link in every window's title bar: state, backlog, and a click to the link view. */
export function LinkIndicator() {
  const { t } = useTranslation();
  const { dateLocale } = useLanguage();
  const { go } = useNavigation();
  const status = useLinkStatus();
  const now = useSecondTicker(status !== null && status.state !== 'connected');
  if (!status) return null;
  const { state } = status;
  const parts = [t(`link.state.${state}`)];
  if ((state === 'down' || state === 'refused') && status.problem) parts.push(t(`link.problem.${status.problem}`));
  if (state === 'down' || state === 'refused' || state === 'off') parts.push(linkSpan(now - status.since, dateLocale));
  return (
    <Tooltip label={t('link.view')}>
      <UnstyledButton onClick={() => go('link')} aria-label={t('link.view')}>
        <Group gap={6} wrap="nowrap" className="link-indicator" data-state={state} data-testid="link-indicator">
          <span className="link-dot" />
          <Text size="xs" className="link-label">
            {t('link.indicator')}：{parts.join(' · ')}
          </Text>
          {status.backlog > 0 && (
            <Text size="xs" className="link-backlog" data-testid="link-indicator-backlog">
              {t('link.backlogShort', { n: status.backlog.toLocaleString() })}
            </Text>
          )}
          {status.unsignedDirectives > 0 && (
            <Text size="xs" className="link-unsigned" data-testid="link-indicator-unsigned">
              {t('link.directives.unsigned', { n: status.unsignedDirectives })}
            </Text>
          )}
        </Group>
      </UnstyledButton>
    </Tooltip>
  );
}
