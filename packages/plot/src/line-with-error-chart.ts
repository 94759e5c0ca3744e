import { isFiniteNumber, type Row, type VegaLiteSpec } from './spec.ts';

export interface LineWithErrorChartOptions {
  /** One row per value of the swept key, holding the mean and standard deviation over seeds. */
  rows: Row[];
  /** The swept key, e.g. `schedule.warmup`. */
  x: string;
  mean: string;
  /** A row without a std (a single seed) gets no error bar. */
  std: string;
  title?: string;
}

/**
 * A one-key sweep: the metric's mean as a line with points, ±1 std as error bars. A numeric key
 * gets a quantitative axis (spacing shows distance); anything else is ordinal. Keys are copied
 * into fixed field names because dotted keys would read as nested fields in vega-lite.
 */
export function lineWithErrorChart(options: LineWithErrorChartOptions): VegaLiteSpec {
  const { rows, x, mean, std, title } = options;
  const values = rows.flatMap((row) => {
    const m = row[mean];
    const s = row[std];
    if (!isFiniteNumber(m) || row[x] == null) return [];
    return [{ x: row[x], mean: m, ...(isFiniteNumber(s) ? { lo: m - s, hi: m + s } : {}) }];
  });
  const numeric = values.every((d) => typeof d.x === 'number');
  const xEnc = { field: 'x', type: numeric ? 'quantitative' : 'ordinal', title: x } as const;
  return {
    ...(title ? { title } : {}),
    data: { values },
    width: 480,
    height: 260,
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: { x: xEnc, y: { field: 'mean', type: 'quantitative', title: mean, scale: { zero: false } } },
      },
      {
        transform: [{ filter: 'isValid(datum.lo)' }],
        mark: { type: 'errorbar', ticks: true },
        encoding: { x: xEnc, y: { field: 'lo', type: 'quantitative', title: mean }, y2: { field: 'hi' } },
      },
    ],
  };
}
