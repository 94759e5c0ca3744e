import type { VegaLiteSpec } from './spec.ts';

export interface SeriesChartOptions {
  /** Each series is y[i] at x = i (epochs from 0 for training curves). */
  series: Array<{ name: string; y: Array<number | null> }>;
  xTitle: string;
  yTitle: string;
  title?: string;
  logScale?: boolean;
}

/** Several curves on one chart, told apart by colour: e.g. the validation curves of a sweep's top trials. */
export function seriesChart(options: SeriesChartOptions): VegaLiteSpec {
  const { series, xTitle, yTitle, title, logScale = false } = options;
  const values = series.flatMap((s) =>
    s.y.flatMap((y, x) => (y !== null && Number.isFinite(y) && (!logScale || y > 0) ? [{ series: s.name, x, y }] : [])),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...(title ? { title } : {}),
    width: 640,
    height: 320,
    data: { values },
    mark: { type: 'line', point: series.every((s) => s.y.length < 40) },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: logScale ? { type: 'log' } : { zero: false } },
      // Labels carry the swept values, so let them run long rather than be cut.
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 480 } },
    },
  };
}
