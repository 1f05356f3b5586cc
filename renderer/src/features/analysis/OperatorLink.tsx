import { Button, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChartDots3 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { shanghaiDate } from '@shared';
import { useNavigation } from '../../app/navigation';
import { useCoreEvent } from '../../transport/ClientProvider';
import { useIncidentFilter } from '../incidents/list/filter-context';
import { EMPTY_FILTER } from '../incidents/list/filter-model';
import { analysisUrl } from './page';

/**
 * The operator window's side of the workspace: a header button opening it (a window of its own,
 * on the second monitor in Electron; a tab in the Node host), and the click-through — a bar, cell
 * or grid clicked there arrives as `analysis.focus` and becomes this window's list and map filter.
 */
export function AnalysisButton() {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('analysis.openHint')}>
      <Button
        variant="default"
        data-testid="open-analysis"
        leftSection={<IconChartDots3 size={14} />}
        onClick={() => window.open(analysisUrl(), 'analysis')}
      >
        {t('analysis.open')}
      </Button>
    </Tooltip>
  );
}

export function FocusReceiver() {
  const { t } = useTranslation();
  const { setState } = useIncidentFilter();
  const navigation = useNavigation();
  useCoreEvent('analysis.focus', ({ filter, label }) => {
    setState({
      ...EMPTY_FILTER,
      grids: filter.grids,
      categories: filter.categories,
      sources: filter.sources,
      statuses: filter.statuses,
      overdueOnly: filter.overdueOnly,
      // The list's range is whole days, last day inclusive; the focus carries [from, to).
      range: [filter.from !== undefined ? shanghaiDate(filter.from) : null, filter.to !== undefined ? shanghaiDate(filter.to - 1) : null],
    });
    if (navigation.view !== 'map') navigation.go('incidents');
    notifications.show({ message: t('analysis.focusReceived', { label }), color: 'accent', autoClose: 4000 });
  });
  return null;
}
