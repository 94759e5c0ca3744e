import { formatValue } from './format.ts';
import { isFiniteNumber, type Row, type VegaLiteSpec } from './spec.ts';

export interface HeatmapChartOptions {
  /** One row per trial (results.csv); rows sharing x and y (seeds) are averaged. */
  rows: Row[];
  /** Swept keys, e.g. `schedule.warmup` and `schedule.epsilon`. */
  x: string;
  y: string;
  /** The metric that colours a cell, e.g. `val_loss`. */
  value: string;
  title?: string;
}

/**
 * A two-key sweep as a grid: one cell per (x, y) pair, coloured by the metric, with the value
 * printed in the cell. Swept keys are dotted paths, which vega-lite would read as nested
 * fields, so rows are copied into fixed field names and the keys become axis titles.
 */
export function heatmapChart(options: HeatmapChartOptions): VegaLiteSpec {
  const { rows, x, y, value, title } = options;
  // Cells are labelled as summary.md prints the values (1e-4, not 0.0001) and ordered by value:
  // the label is the field, its rank among the swept values the sort key.
  const rank = (key: string) => {
    const seen: unknown[] = [...new Set(rows.map((r) => r[key]).filter((v) => v != null))];
    seen.sort((a, b) =>
      typeof a === 'number' && typeof b === 'number' ? a - b : formatValue(a).localeCompare(formatValue(b)),
    );
    return (v: unknown) => seen.indexOf(v);
  };
  const [xRank, yRank] = [rank(x), rank(y)];
  const values = rows.flatMap((row) => {
    const v = row[value];
    // A failed trial has no metric: its cell stays empty.
    return isFiniteNumber(v) && row[x] != null && row[y] != null
      ? [{ x: formatValue(row[x]), xRank: xRank(row[x]), y: formatValue(row[y]), yRank: yRank(row[y]), value: v }]
      : [];
  });
  const lo = Math.min(...values.map((d) => d.value));
  const hi = Math.max(...values.map((d) => d.value));
  const encodeCell = {
    x: { field: 'x', type: 'ordinal', title: x, sort: { field: 'xRank', op: 'min' }, axis: { labelAngle: 0 } },
    y: { field: 'y', type: 'ordinal', title: y, sort: { field: 'yRank', op: 'min', order: 'descending' } },
  } as const;
  return {
    ...(title ? { title } : {}),
    data: { values },
    width: { step: 56 },
    height: { step: 32 },
    layer: [
      {
        mark: 'rect',
        encoding: { ...encodeCell, color: { field: 'value', aggregate: 'mean', type: 'quantitative', title: value } },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          ...encodeCell,
          text: { field: 'value', aggregate: 'mean', type: 'quantitative', format: '.4~g' },
          // Dark cells (high values on the default sequential scheme) get white text.
          color: {
            condition: { test: `datum.mean_value > ${(lo + hi) / 2}`, value: 'white' },
            value: 'black',
          },
        },
      },
    ],
  };
}
