/**
 * ECharts options of each widget, built from the dashboard: pure functions of the data and the
 * labels, so the workspace and the briefing's chart images draw the same charts.
 */
import type { Dashboard } from '@shared';
import { PALETTE, type EChartsOption } from './echarts';

export interface Labels {
  /** Display name of a key (category name, grid name, source…). */
  name(key: string): string;
  series: Record<string, string>;
  weekdays: string[];
  empty: string;
}

const grid = { left: 8, right: 16, top: 28, bottom: 8, containLabel: true };
const tooltipAxis = { trigger: 'axis' as const, axisPointer: { type: 'shadow' as const } };

function emptyGraphic(empty: boolean, text: string) {
  return empty
    ? [{ type: 'text', left: 'center', top: 'middle', style: { text, fill: PALETTE.dim, fontSize: 13 } }]
    : [{ type: 'text', left: 'center', top: 'middle', style: { text: '' } }];
}

export function trendOption(d: Dashboard, l: Labels): EChartsOption {
  const labels = d.trend.labels.map((s) => (d.trend.grain === 'day' ? s.slice(5) : s));
  return {
    grid: { ...grid, top: 34 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, right: 8, data: [l.series.current!, l.series.previous!] },
    xAxis: { type: 'category', data: labels, boundaryGap: false },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: l.series.current, type: 'line', data: d.trend.current, smooth: true, symbolSize: 6, areaStyle: { opacity: 0.15 } },
      { name: l.series.previous, type: 'line', data: d.trend.previous, smooth: true, symbol: 'none', lineStyle: { type: 'dashed', width: 1.5 }, color: PALETTE.dim },
    ],
  };
}

/** Horizontal bars, largest on top: reported (and closed) per key. */
export function barsOption(rows: { key: string; reported: number; closed: number }[], l: Labels, max = 12): EChartsOption {
  const top = rows.slice(0, max).reverse();
  return {
    grid: { ...grid, top: 24 },
    tooltip: tooltipAxis,
    legend: { top: 0, right: 8, data: [l.series.reported!, l.series.closed!] },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: top.map((r) => l.name(r.key)), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      { name: l.series.reported, type: 'bar', data: top.map((r) => ({ value: r.reported, key: r.key })), barMaxWidth: 14 },
      { name: l.series.closed, type: 'bar', data: top.map((r) => ({ value: r.closed, key: r.key })), barMaxWidth: 14, color: PALETTE.series[2] },
    ],
    graphic: emptyGraphic(rows.length === 0, l.empty),
  };
}

export function gridBarsOption(d: Dashboard, l: Labels): EChartsOption {
  const rows = d.byGrid.slice(0, 16).reverse();
  return {
    grid: { ...grid, top: 24 },
    tooltip: tooltipAxis,
    legend: { top: 0, right: 8, data: [l.series.reported!, l.series.open!] },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => l.name(r.key)), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [
      { name: l.series.reported, type: 'bar', data: rows.map((r) => ({ value: r.reported, key: r.key })), barMaxWidth: 14 },
      { name: l.series.open, type: 'bar', data: rows.map((r) => ({ value: r.open, key: r.key })), barMaxWidth: 14, color: PALETTE.series[1] },
    ],
    graphic: emptyGraphic(rows.length === 0, l.empty),
  };
}

/** The island's grids coloured by what was reported in the period (map registered under `mapName`). */
export function choroplethOption(d: Dashboard, l: Labels, mapName: string, gridCodes: string[]): EChartsOption {
  const byKey = new Map(d.byGrid.map((r) => [r.key, r]));
  const max = Math.max(1, ...d.byGrid.filter((r) => r.key).map((r) => r.reported));
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const { name } = p as { name: string };
        const r = byKey.get(name);
        return `${l.name(name)}<br/>${l.series.reported}: ${r?.reported ?? 0}<br/>${l.series.open}: ${r?.open ?? 0}`;
      },
    },
    visualMap: {
      min: 0,
      max,
      left: 8,
      bottom: 8,
      itemWidth: 10,
      itemHeight: 80,
      calculable: false,
      inRange: { color: PALETTE.heat },
      textStyle: { color: PALETTE.dim },
    },
    series: [
      {
        type: 'map',
        map: mapName,
        roam: false,
        layoutCenter: ['55%', '50%'],
        layoutSize: '95%',
        selectedMode: false,
        // Names only on hover: the island's grids are too small for a label each at this size.
        label: { show: false, formatter: (p: unknown) => l.name((p as { name: string }).name) },
        itemStyle: { borderColor: '#0a0c10', borderWidth: 1, areaColor: PALETTE.panel },
        emphasis: { label: { show: true, color: '#fff', fontSize: 12 }, itemStyle: { areaColor: PALETTE.accent } },
        data: gridCodes.map((code) => ({ name: code, value: byKey.get(code)?.reported ?? 0 })),
      },
    ],
  };
}

export function heatOption(d: Dashboard, l: Labels): EChartsOption {
  const data: [number, number, number][] = [];
  let max = 1;
  d.heat.forEach((row, weekday) =>
    row.forEach((n, hour) => {
      data.push([hour, weekday, n]);
      max = Math.max(max, n);
    }),
  );
  return {
    grid: { left: 8, right: 8, top: 8, bottom: 40, containLabel: true },
    tooltip: { formatter: (p: unknown) => { const v = (p as { value: [number, number, number] }).value; return `${l.weekdays[v[1]]} ${v[0]}:00 — ${v[2]}`; } },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), splitArea: { show: false } },
    yAxis: { type: 'category', data: l.weekdays, inverse: true },
    visualMap: { min: 0, max, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 120, itemWidth: 10, inRange: { color: PALETTE.heat }, calculable: false },
    series: [{ type: 'heatmap', data, itemStyle: { borderColor: PALETTE.background, borderWidth: 1 }, emphasis: { itemStyle: { borderColor: '#fff' } } }],
  };
}

export function funnelOption(d: Dashboard, l: Labels): EChartsOption {
  const levels = d.mediationFunnel.map((f) => l.name(f.level));
  return {
    grid: { ...grid, top: 24 },
    tooltip: tooltipAxis,
    legend: { top: 0, right: 8, data: [l.series.reached!, l.series.settled!, l.series.referred!] },
    xAxis: { type: 'category', data: levels },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: l.series.reached, type: 'bar', data: d.mediationFunnel.map((f) => f.reached), barMaxWidth: 22 },
      { name: l.series.settled, type: 'bar', data: d.mediationFunnel.map((f) => f.settled), barMaxWidth: 22, color: PALETTE.series[2] },
      { name: l.series.referred, type: 'bar', data: d.mediationFunnel.map((f) => f.referred), barMaxWidth: 22, color: PALETTE.series[3] },
    ],
  };
}

const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 6_000) / 10);

export function policeOption(d: Dashboard, l: Labels): EChartsOption {
  const p = d.police;
  return {
    grid: { ...grid, top: 24 },
    tooltip: { ...tooltipAxis, valueFormatter: (v: unknown) => (v === null || v === undefined ? '—' : `${String(v)} ${l.series.minutes}`) },
    legend: { top: 0, right: 8, data: [l.series.p50!, l.series.p90!] },
    xAxis: { type: 'category', data: [l.series.ack!, l.series.arrive!] },
    yAxis: { type: 'value', name: l.series.minutes },
    series: [
      { name: l.series.p50, type: 'bar', data: [minutes(p.ackP50), minutes(p.arriveP50)], barMaxWidth: 28, label: { show: true, position: 'top', color: PALETTE.text } },
      { name: l.series.p90, type: 'bar', data: [minutes(p.ackP90), minutes(p.arriveP90)], barMaxWidth: 28, color: PALETTE.series[1], label: { show: true, position: 'top', color: PALETTE.text } },
    ],
    graphic: emptyGraphic(p.dispatched === 0, l.empty),
  };
}

export function camerasOption(d: Dashboard, l: Labels): EChartsOption {
  const rows = d.cameraAlarms.slice(0, 12).reverse();
  return {
    grid: { ...grid, top: 8 },
    tooltip: tooltipAxis,
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ name: l.series.bursts, type: 'bar', data: rows.map((r) => r.bursts), barMaxWidth: 14, color: PALETTE.series[5] }],
    graphic: emptyGraphic(rows.length === 0, l.empty),
  };
}

export function overdueOption(d: Dashboard, l: Labels): EChartsOption {
  const rows = d.overdueByUnit.slice(0, 12).reverse();
  return {
    grid: { ...grid, top: 8 },
    tooltip: tooltipAxis,
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: rows.map((r) => l.name(r.key)), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ name: l.series.overdue, type: 'bar', data: rows.map((r) => r.overdue), barMaxWidth: 14, color: PALETTE.series[3] }],
    graphic: emptyGraphic(rows.length === 0, l.empty),
  };
}
