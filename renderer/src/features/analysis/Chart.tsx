import { useEffect, useRef } from 'react';
import { echarts, THEME, type ECharts, type EChartsOption } from './echarts';

declare global {
  interface Window {
    /** The workspace's charts by test id, for the e2e test to find a bar's pixel (like __dutyConsoleMap). */
    __analysisCharts?: Record<string, ECharts>;
  }
}

export interface ChartClick {
  name: string;
  seriesIndex?: number;
  dataIndex: number;
  value: unknown;
  data: unknown;
}

/**
 * One ECharts instance in a div that follows its size. A new `option` is merged into the chart
 * (setOption without notMerge), so a live update only moves the numbers that changed.
 */
export function Chart({
  option,
  onClick,
  testId,
  className,
  ariaLabel,
}: {
  option: EChartsOption;
  onClick?: (event: ChartClick) => void;
  testId?: string;
  className?: string;
  ariaLabel?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  useEffect(() => {
    click.current = onClick;
  });

  useEffect(() => {
    const el = ref.current!;
    const instance = echarts.init(el, THEME, { renderer: 'canvas', locale: 'ZH' });
    instance.on('click', (params) => click.current?.(params as unknown as ChartClick));
    chart.current = instance;
    if (testId) (window.__analysisCharts ??= {})[testId] = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
      if (testId && window.__analysisCharts?.[testId] === instance) delete window.__analysisCharts[testId];
    };
  }, [testId]);

  useEffect(() => {
    chart.current?.setOption(option, { lazyUpdate: false });
  }, [option]);

  return <div ref={ref} className={className ?? 'analysis-chart'} data-testid={testId} aria-label={ariaLabel} role="img" />;
}
