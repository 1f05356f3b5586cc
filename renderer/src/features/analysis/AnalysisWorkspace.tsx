import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Button, Group, MultiSelect, Paper, SegmentedControl, Text, Title, Tooltip } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { notifications } from '@mantine/notifications';
import { IconChartDots3, IconFileTypePng, IconFilterOff, IconPrinter } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  ANALYSIS_SOURCES,
  DAY_MS,
  addDays,
  shanghaiDate,
  shanghaiDateStart,
  type AnalysisGrain,
  type FocusFilter,
  type Grid,
} from '@shared';
import { useClient, useConnection, useCoreEvent } from '../../transport/ClientProvider';
import { useCategories } from '../incidents/common/categories';
import { describeFailure, notifyFailure } from '../../app/errors';
import { Chart, type ChartClick } from './Chart';
import { echarts } from './echarts';
import {
  barsOption,
  camerasOption,
  choroplethOption,
  funnelOption,
  gridBarsOption,
  heatOption,
  overdueOption,
  policeOption,
  trendOption,
  type Labels,
} from './options';
import { useDashboard, type DashboardQuery } from './useDashboard';
import { exportDashboardPng } from './export';
import './analysis.css';

type Preset = 'today' | 'd7' | 'd30' | 'month' | 'd90' | 'custom';
const MAP_NAME = 'guishan-grids';

function presetRange(preset: Exclude<Preset, 'custom'>, now: number): [string, string] {
  const today = shanghaiDate(now);
  switch (preset) {
    case 'today':
      return [today, today];
    case 'd7':
      return [addDays(today, -6), today];
    case 'd30':
      return [addDays(today, -29), today];
    case 'month':
      return [`${today.slice(0, 8)}01`, today];
    case 'd90':
      return [addDays(today, -89), today];
  }
}

function Widget({ title, children, testId, wide, extra }: { title: string; children: ReactNode; testId: string; wide?: boolean; extra?: ReactNode }) {
  return (
    <Paper className={`analysis-widget${wide ? ' wide' : ''}`} data-testid={testId} withBorder>
      <Group justify="space-between" className="analysis-widget-head" wrap="nowrap">
        <Text size="sm" fw={600}>
          {title}
        </Text>
        {extra}
      </Group>
      <div className="analysis-widget-body">{children}</div>
    </Paper>
  );
}

function Kpi({ label, value, hint, tone, testId }: { label: string; value: string; hint?: string; tone?: 'red' | 'green'; testId: string }) {
  return (
    <Paper className={`analysis-kpi${tone ? ` ${tone}` : ''}`} withBorder data-testid={testId}>
      <Text className="analysis-kpi-label">{label}</Text>
      <Text className="analysis-kpi-value" data-testid={`${testId}-value`}>
        {value}
      </Text>
      {hint && <Text className="analysis-kpi-hint">{hint}</Text>}
    </Paper>
  );
}

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
function delta(current: number, previous: number): string {
  const d = current - previous;
  const pct = previous ? ` (${d >= 0 ? '+' : ''}${((d / previous) * 100).toFixed(0)}%)` : '';
  return `${d >= 0 ? '+' : ''}${d}${pct}`;
}

/** The analysis workspace (研判分析): its own page (`?view=analysis`), meant for the second monitor. */
export function AnalysisWorkspace() {
  const { t } = useTranslation();
  const client = useClient();
  const { epoch } = useConnection();
  const categories = useCategories();
  const [preset, setPreset] = useState<Preset>('d30');
  const [custom, setCustom] = useState<[string | null, string | null]>([null, null]);
  const [grain, setGrain] = useState<AnalysisGrain>('day');
  const [grids, setGrids] = useState<string[]>([]);
  const [cats, setCats] = useState<string[]>([]);
  const [sources, setSources] = useState<string[]>([]);
  const [units, setUnits] = useState<string[]>([]);
  const [gridList, setGridList] = useState<Grid[]>([]);
  const [mapReady, setMapReady] = useState(false);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);

  const [from, to] = useMemo<[string, string]>(() => {
    if (preset === 'custom' && custom[0]) return [custom[0], custom[1] ?? custom[0]];
    return presetRange(preset === 'custom' ? 'd30' : preset, now);
  }, [preset, custom, now]);

  const query = useMemo<DashboardQuery>(
    () => ({ from, to, grain, filter: { grids, categories: cats, sources: sources as DashboardQuery['filter']['sources'], units } }),
    [from, to, grain, grids, cats, sources, units],
  );
  const { data, error, updatedAt } = useDashboard(query);

  // The choropleth draws the grids' own GeoJSON from the core (no tiles): registered once per load.
  const loadGrids = useCallback(async () => {
    try {
      const { grids: list } = await client.invoke('grids.list', {});
      echarts.registerMap(MAP_NAME, {
        type: 'FeatureCollection',
        features: list.map((g) => ({ type: 'Feature', properties: { name: g.code }, geometry: { type: 'MultiPolygon', coordinates: g.polygons } })),
      } as unknown as Parameters<typeof echarts.registerMap>[1]);
      setGridList(list);
      setMapReady(true);
    } catch (e) {
      notifyFailure(e, t);
    }
  }, [client, t]);
  useEffect(() => {
    if (epoch > 0) void loadGrids();
  }, [loadGrids, epoch]);
  useCoreEvent('grids.changed', () => void loadGrids());

  const gridName = useMemo(() => {
    const names = new Map(gridList.map((g) => [g.code, g.name]));
    return (code: string) => (code ? (names.get(code) ?? code) : t('analysis.noGrid'));
  }, [gridList, t]);

  const labels = useCallback(
    (name: (key: string) => string): Labels => ({
      name,
      series: t('analysis.series', { returnObjects: true }) as unknown as Record<string, string>,
      weekdays: t('analysis.weekdays').split(' '),
      empty: t('analysis.empty'),
    }),
    // t changes with the language, so the labels follow a language switch.
    [t],
  );

  const periodRange = useMemo(() => {
    const start = shanghaiDateStart(from)!;
    const end = shanghaiDateStart(to)! + DAY_MS;
    return { from: start, to: end };
  }, [from, to]);

  /** Sends a click to the operator windows (list + map filter) through the core. */
  const focus = useCallback(
    async (filter: FocusFilter, label: string) => {
      try {
        await client.invoke('analysis.focus', { filter, label });
        notifications.show({ message: t('analysis.focusSent', { label }), color: 'accent', autoClose: 2500 });
      } catch (e) {
        notifyFailure(e, t);
      }
    },
    [client, t],
  );
  const keyOf = (e: ChartClick) => (e.data as { key?: string } | null)?.key ?? e.name;

  const sourceName = useCallback((s: string) => t(`source.${s}` as 'source.phone'), [t]);
  const unitName = useCallback((u: string) => u || t('analysis.nobody'), [t]);
  const levelName = useCallback((l: string) => t(`wf.level.${l}` as 'wf.level.town'), [t]);

  const options = useMemo(() => {
    if (!data) return null;
    return {
      trend: trendOption(data, labels((k) => k)),
      gridBars: gridBarsOption(data, labels(gridName)),
      // ECharts cannot lay out a map with no regions: no grids, no choropleth (the bars still show).
      map: mapReady && gridList.length > 0 ? choroplethOption(data, labels(gridName), MAP_NAME, gridList.map((g) => g.code)) : null,
      category: barsOption(data.byCategory, labels(categories.name)),
      source: barsOption(data.bySource, labels(sourceName)),
      unit: barsOption(data.byUnit, labels(unitName)),
      heat: heatOption(data, labels((k) => k)),
      funnel: funnelOption(data, labels(levelName)),
      police: policeOption(data, labels((k) => k)),
      cameras: camerasOption(data, labels((k) => k)),
      overdue: overdueOption(data, labels(unitName)),
    };
  }, [data, labels, gridName, mapReady, gridList, categories.name, sourceName, unitName, levelName]);

  const filtersActive = grids.length + cats.length + sources.length + units.length > 0;
  const failure = error ? describeFailure(error, t) : null;

  return (
    <div className="analysis-root" data-testid="analysis-workspace">
      <header className="analysis-header">
        <Group gap="xs" wrap="nowrap">
          <IconChartDots3 size={20} color="var(--mantine-color-accent-4)" />
          <Title order={4}>{t('analysis.title')}</Title>
          {updatedAt && (
            <Text size="xs" c="dimmed" data-testid="analysis-updated">
              <span className="analysis-live-dot" /> {t('analysis.live', { time: new Date(updatedAt).toLocaleTimeString('zh-CN', { hour12: false }) })}
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap" className="analysis-controls">
          <SegmentedControl
            size="xs"
            data-testid="analysis-period"
            value={preset}
            onChange={(v) => setPreset(v as Preset)}
            data={(['today', 'd7', 'd30', 'month', 'd90', 'custom'] as const).map((p) => ({ value: p, label: t(`analysis.period.${p}`) }))}
          />
          {preset === 'custom' && (
            <DatePickerInput
              type="range"
              size="xs"
              w={220}
              valueFormat="YYYY-MM-DD"
              labelSeparator="~"
              value={custom}
              onChange={(r) => setCustom([r[0] ?? null, r[1] ?? null])}
              aria-label={t('analysis.period.custom')}
            />
          )}
          <SegmentedControl
            size="xs"
            value={grain}
            onChange={(v) => setGrain(v as AnalysisGrain)}
            data={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`analysis.grain.${g}`) }))}
          />
          <MultiSelect
            size="xs"
            w={150}
            placeholder={t('analysis.filter.grids')}
            data={gridList.map((g) => ({ value: g.code, label: g.name }))}
            value={grids}
            onChange={setGrids}
            clearable
            searchable
            maxValues={200}
            aria-label={t('analysis.filter.grids')}
            data-testid="analysis-filter-grids"
          />
          <MultiSelect
            size="xs"
            w={150}
            placeholder={t('analysis.filter.categories')}
            data={categories.list.map((c) => ({ value: c.code, label: categories.name(c.code) }))}
            value={cats}
            onChange={setCats}
            clearable
            searchable
            aria-label={t('analysis.filter.categories')}
          />
          <MultiSelect
            size="xs"
            w={140}
            placeholder={t('analysis.filter.sources')}
            data={ANALYSIS_SOURCES.map((s) => ({ value: s, label: sourceName(s) }))}
            value={sources}
            onChange={setSources}
            clearable
            aria-label={t('analysis.filter.sources')}
          />
          <MultiSelect
            size="xs"
            w={150}
            placeholder={t('analysis.filter.units')}
            data={[...new Set([...(data?.byUnit.map((u) => u.key) ?? []), ...units])].map((u) => ({ value: u, label: unitName(u) }))}
            value={units}
            onChange={setUnits}
            clearable
            searchable
            aria-label={t('analysis.filter.units')}
          />
          <Tooltip label={t('analysis.filter.reset')}>
            <Button
              variant="subtle"
              color="gray"
              disabled={!filtersActive}
              onClick={() => {
                setGrids([]);
                setCats([]);
                setSources([]);
                setUnits([]);
              }}
              aria-label={t('analysis.filter.reset')}
            >
              <IconFilterOff size={15} />
            </Button>
          </Tooltip>
          <Button
            variant="default"
            leftSection={<IconFileTypePng size={14} />}
            data-testid="analysis-export-png"
            disabled={!data}
            onClick={() => void exportDashboardPng(document.querySelector('.analysis-body') as HTMLElement, `研判分析_${from}_${to}.png`)}
          >
            {t('analysis.export.png')}
          </Button>
          <Button variant="default" leftSection={<IconPrinter size={14} />} onClick={() => window.print()}>
            {t('analysis.export.pdf')}
          </Button>
        </Group>
      </header>
      {failure && (
        <Text c="red" size="sm" px="md" data-testid="analysis-error">
          {failure.title}: {failure.message}
        </Text>
      )}
      {data && options && (
        <main className="analysis-body">
          <section className="analysis-kpis">
            <Kpi testId="kpi-new-today" label={t('analysis.kpi.newToday')} value={String(data.kpis.newToday)} />
            <Kpi testId="kpi-closed-today" label={t('analysis.kpi.closedToday')} value={String(data.kpis.closedToday)} />
            <Kpi testId="kpi-open" label={t('analysis.kpi.open')} value={String(data.kpis.open)} />
            <Kpi testId="kpi-overdue" label={t('analysis.kpi.overdue')} value={String(data.kpis.overdue)} tone={data.kpis.overdue ? 'red' : undefined} />
            <Kpi
              testId="kpi-on-time"
              label={t('analysis.kpi.onTime')}
              value={percent(data.kpis.onTimeRate)}
              hint={`${t('analysis.series.closed')} ${data.kpis.closed} · ${t('analysis.kpi.vsPrevious', { delta: delta(data.kpis.closed, data.kpis.previousClosed) })}`}
            />
            <Kpi testId="kpi-satisfaction" label={t('analysis.kpi.satisfaction')} value={data.kpis.satisfaction === null ? '—' : `${data.kpis.satisfaction.toFixed(2)} / 5`} />
            <Kpi testId="kpi-mediation" label={t('analysis.kpi.mediation')} value={percent(data.kpis.mediationSuccessRate)} />
            <Kpi
              testId="kpi-quarantine"
              label={t('analysis.kpi.quarantine')}
              value={`${data.kpis.quarantineOccupied} / ${data.kpis.quarantineCapacity}`}
            />
          </section>
          <section className="analysis-grid">
            <Widget
              title={t('analysis.widget.trend')}
              testId="widget-trend"
              extra={
                <Text size="xs" c="dimmed" data-testid="trend-total">
                  {t('analysis.series.reported')} {data.kpis.reported} · {t('analysis.kpi.vsPrevious', { delta: delta(data.kpis.reported, data.kpis.previousReported) })}
                </Text>
              }
            >
              <Chart
                option={options.trend}
                testId="chart-trend"
                onClick={(e) => {
                  const start = shanghaiDateStart(data.trend.labels[e.dataIndex]!.length === 7 ? `${data.trend.labels[e.dataIndex]}-01` : data.trend.labels[e.dataIndex]!)!;
                  const next = data.trend.labels[e.dataIndex + 1];
                  const end = next ? shanghaiDateStart(next.length === 7 ? `${next}-01` : next)! : periodRange.to;
                  void focus({ from: Math.max(start, periodRange.from), to: end }, data.trend.labels[e.dataIndex]!);
                }}
              />
            </Widget>
            <Widget title={t('analysis.widget.map')} testId="widget-map">
              {!options.map && mapReady && (
                <Text size="sm" c="dimmed" p="md">
                  {t('analysis.noGrids')}
                </Text>
              )}
              {options.map && (
                <Chart
                  option={options.map}
                  testId="chart-map"
                  onClick={(e) => void focus({ grids: [e.name], ...periodRange }, `${t('analysis.filter.grids')} ${gridName(e.name)}`)}
                />
              )}
            </Widget>
            <Widget title={t('analysis.widget.byGrid')} testId="widget-by-grid">
              <Chart
                option={options.gridBars}
                testId="chart-by-grid"
                onClick={(e) => {
                  const key = keyOf(e);
                  if (key) void focus({ grids: [key], ...periodRange }, `${t('analysis.filter.grids')} ${gridName(key)}`);
                }}
              />
            </Widget>
            <Widget title={t('analysis.widget.byCategory')} testId="widget-by-category">
              <Chart
                option={options.category}
                testId="chart-by-category"
                onClick={(e) => void focus({ categories: [keyOf(e)], ...periodRange }, categories.name(keyOf(e)))}
              />
            </Widget>
            <Widget title={t('analysis.widget.bySource')} testId="widget-by-source">
              <Chart
                option={options.source}
                testId="chart-by-source"
                onClick={(e) => void focus({ sources: [keyOf(e) as (typeof ANALYSIS_SOURCES)[number]], ...periodRange }, sourceName(keyOf(e)))}
              />
            </Widget>
            <Widget title={t('analysis.widget.byUnit')} testId="widget-by-unit">
              <Chart option={options.unit} testId="chart-by-unit" />
            </Widget>
            <Widget title={t('analysis.widget.heat')} testId="widget-heat">
              <Chart option={options.heat} testId="chart-heat" />
            </Widget>
            <Widget title={t('analysis.widget.funnel')} testId="widget-funnel">
              <Chart option={options.funnel} testId="chart-funnel" />
            </Widget>
            <Widget
              title={t('analysis.widget.police')}
              testId="widget-police"
              extra={
                <Text size="xs" c="dimmed">
                  {t('analysis.policeCount', { n: data.police.dispatched })}
                </Text>
              }
            >
              <Chart option={options.police} testId="chart-police" />
            </Widget>
            <Widget title={t('analysis.widget.cameras')} testId="widget-cameras">
              <Chart option={options.cameras} testId="chart-cameras" />
            </Widget>
            <Widget title={t('analysis.widget.overdue')} testId="widget-overdue">
              <Chart option={options.overdue} testId="chart-overdue" onClick={() => void focus({ overdueOnly: true }, t('analysis.widget.overdue'))} />
            </Widget>
          </section>
        </main>
      )}
    </div>
  );
}

