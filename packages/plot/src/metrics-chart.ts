import { displayEpoch, timeAxis } from './axes.ts';
import { isFiniteNumber, type Row, type VConcatView, type VegaLiteSpec } from './spec.ts';

export interface MetricsChartOptions {
  /** One row an epoch, as in metrics.jsonl (`epoch` from 0); a missing or null value leaves a gap. */
  rows: Row[];
  /** The time column; default `epoch`, drawn 1-based like the rest of the tool. */
  x?: string;
  /** Columns to draw, e.g. `['loss', 'val_loss', 'acc', 'val_acc']`. */
  metrics: string[];
  /** The run's name, so a chart that travels alone says what it shows. */
  title?: string;
}

/** `val_loss` → `{ family: 'loss', split: 'val' }`: Keras names validation metrics with a `val_` prefix. */
export function metricFamily(metric: string): { family: string; split: 'train' | 'val' } {
  return metric.startsWith('val_') ? { family: metric.slice(4), split: 'val' } : { family: metric, split: 'train' };
}

/**
 * Training curves: one panel per metric family (loss, accuracy, …) stacked vertically, each
 * with its own y scale, and train vs validation told apart by colour (shared legend).
 */
export function metricsChart(options: MetricsChartOptions): VegaLiteSpec {
  const { rows, x = 'epoch', metrics, title } = options;
  const shift = x === 'epoch' ? displayEpoch : (t: number) => t;
  const values = rows.flatMap((row) =>
    metrics.flatMap((metric) => {
      const t = row[x];
      const value = row[metric];
      return isFiniteNumber(t) && isFiniteNumber(value)
        ? [{ t: shift(t), metric, ...metricFamily(metric), value }]
        : [];
    }),
  );
  const ts = values.map((d) => d.t);
  const [lo, hi] = ts.length ? [Math.min(...ts), Math.max(...ts)] : [shift(0), shift(1)];
  const families = [...new Set(metrics.map((m) => metricFamily(m).family))];
  // Points only when there are few epochs: a one-epoch run would otherwise draw nothing.
  const point = rows.length <= 30;
  const panels: VConcatView[] = families.map((family) => ({
    width: 480,
    height: 180,
    transform: [{ filter: { field: 'family', equal: family } }],
    mark: { type: 'line', point },
    encoding: {
      x: { field: 't', type: 'quantitative', ...timeAxis(x, lo, hi) },
      y: { field: 'value', type: 'quantitative', title: family, scale: { zero: false } },
      color: { field: 'split', type: 'nominal', title: null, scale: { domain: ['train', 'val'] } },
    },
  }));
  return {
    ...(title ? { title } : {}),
    data: { values },
    vconcat: panels,
  };
}
