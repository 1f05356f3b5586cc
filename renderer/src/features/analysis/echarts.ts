/**
 * ECharts with modular imports: only the charts and components the workspace uses (a full
 * `import * as echarts` would add ~1 MB to the renderer), the canvas renderer, and one dark theme
 * matching the console's palette (renderer/src/app/theme.ts). Everything is bundled: no CDN, no map
 * tiles — the choropleth draws the grids' own GeoJSON, registered with registerMap.
 */
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, MapChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { FONT_FAMILY } from '../../app/theme';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  MapChart,
  FunnelChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  TitleComponent,
  GraphicComponent,
  CanvasRenderer,
]);

export const THEME = 'console-dark';

/** Panel and text colours from the console's dark palette; series colours readable on it. */
export const PALETTE = {
  background: '#14181f',
  panel: '#1c212a',
  border: '#272d37',
  text: '#d7dce4',
  dim: '#8690a0',
  faint: '#343b47',
  accent: '#4583cf',
  series: ['#4583cf', '#e0a03a', '#3fb68b', '#d9534f', '#9b7fd1', '#3bb3c3', '#c9c25a', '#d97fb0', '#7d8fa8'],
  heat: ['#1c2a3f', '#1f4f86', '#2d72c8', '#e0a03a', '#e8573f'],
};

const axis = {
  axisLine: { lineStyle: { color: PALETTE.faint } },
  axisTick: { lineStyle: { color: PALETTE.faint } },
  axisLabel: { color: PALETTE.dim },
  splitLine: { lineStyle: { color: PALETTE.border } },
  nameTextStyle: { color: PALETTE.dim },
};

echarts.registerTheme(THEME, {
  color: PALETTE.series,
  backgroundColor: 'transparent',
  textStyle: { fontFamily: FONT_FAMILY, color: PALETTE.text },
  title: { textStyle: { color: PALETTE.text, fontWeight: 600 }, subtextStyle: { color: PALETTE.dim } },
  legend: { textStyle: { color: PALETTE.dim } },
  tooltip: {
    backgroundColor: '#0f1217',
    borderColor: PALETTE.faint,
    textStyle: { color: PALETTE.text, fontFamily: FONT_FAMILY },
  },
  categoryAxis: axis,
  valueAxis: axis,
  visualMap: { textStyle: { color: PALETTE.dim } },
});

export { echarts };
export type ECharts = ReturnType<typeof echarts.init>;
export type EChartsOption = Parameters<ECharts['setOption']>[0];
