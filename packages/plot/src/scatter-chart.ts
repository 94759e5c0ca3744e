import { isFiniteNumber, type Row, type VegaLiteSpec } from './spec.ts';
import { logAxis, wantsLog } from './axes.ts';

export interface ScatterChartOptions {
  /** One row per trial; rows without a numeric x or metric are left out (failed trials). */
  rows: Row[];
  /** A continuous swept key, e.g. `optimizer.learningRate` from `range(1e-4,1e-2,log)`. */
  x: string;
  /** The metric on y, e.g. `val_acc`. */
  value: string;
  title?: string;
}

/**
 * A continuous parameter (random or range sweep) against the metric, one point per trial: a
 * heatmap of random values would be a grid of mostly empty cells. The x axis is logarithmic
 * when the values span a decade or more, as rates and floors usually do.
 */
export function scatterChart(options: ScatterChartOptions): VegaLiteSpec {
  const { rows, x, value, title } = options;
  const values = rows.flatMap((row) => {
    const [px, py] = [row[x], row[value]];
    return isFiniteNumber(px) && isFiniteNumber(py) ? [{ x: px, y: py }] : [];
  });
  const log = wantsLog(
    values.map((d) => d.x),
    10,
  );
  return {
    ...(title ? { title } : {}),
    width: 480,
    height: 260,
    data: { values: log ? values.filter((d) => d.x > 0) : values },
    mark: { type: 'point', filled: true, size: 50, opacity: 0.8 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: x,
        scale: log ? { type: 'log' } : { zero: false },
        ...(log ? { axis: logAxis } : {}),
      },
      y: { field: 'y', type: 'quantitative', title: value, scale: { zero: false } },
    },
  };
}
