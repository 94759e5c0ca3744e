import { fullLegend, labelDuplicates, logAxis, seriesColors, timeAxis, wantsLog } from './axes.ts';
import type { VegaLiteSpec } from './spec.ts';

export interface SeriesChartOptions {
  /** Each series is y[i] at x = x0 + i; in legend order (a sweep passes its ranking). */
  series: Array<{ name: string; y: Array<number | null> }>;
  /** The x of y[0]: 1 for epochs (shown 1-based, as the rest of the tool), 0 for steps. */
  x0?: number;
  xTitle: string;
  yTitle: string;
  title?: string;
  /** Default: a log axis when the values span 100× or more (learning rates). */
  logScale?: boolean;
}

/** Several curves on one chart, told apart by colour: e.g. the validation curves of a sweep's top trials. */
export function seriesChart(options: SeriesChartOptions): VegaLiteSpec {
  const { series, xTitle, yTitle, title, x0 = 0 } = options;
  const logScale = options.logScale ?? wantsLog(series.flatMap((s) => s.y.filter((y): y is number => y !== null)));
  const names = labelDuplicates(series.map((s) => ({ name: s.name, values: s.y })));
  const values = series.flatMap((s, i) =>
    s.y.flatMap((y, x) =>
      y !== null && Number.isFinite(y) && (!logScale || y > 0) ? [{ series: names[i], x: x0 + x, y }] : [],
    ),
  );
  const length = Math.max(1, ...series.map((s) => s.y.length));
  return {
    ...(title ? { title } : {}),
    width: 640,
    height: 320,
    data: { values },
    mark: { type: 'line', point: series.every((s) => s.y.length < 40) },
    encoding: {
      x: { field: 'x', type: 'quantitative', ...timeAxis(xTitle, x0, x0 + length - 1) },
      y: {
        field: 'y',
        type: 'quantitative',
        title: yTitle,
        scale: logScale ? { type: 'log' } : { zero: false },
        ...(logScale ? { axis: logAxis } : {}),
      },
      // Labels carry the swept values: the legend lists them in full, in rank order.
      color: { field: 'series', type: 'nominal', title: null, scale: seriesColors(names), legend: fullLegend },
    },
  };
}
