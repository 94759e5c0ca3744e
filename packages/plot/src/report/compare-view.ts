import { bandChart } from '../band-chart.ts';
import { formatNumber, formatValue } from '../format.ts';
import type { VegaLiteSpec } from '../spec.ts';
import { type Axis, type Comparison, comparisonSeries, flattenConfig, type Quantity } from './compare.ts';

/** One panel: the rate or the metric of every run (or group mean) against epoch or step. */
export function comparisonPanel(c: Comparison, quantity: Quantity, axis: Axis, size = { width: 420, height: 220 }) {
  const yTitle = quantity === 'lr' ? 'learning rate' : c.metric;
  return bandChart({
    series: comparisonSeries(c, quantity, axis),
    xTitle: axis,
    yTitle,
    title: `${yTitle} by ${axis}`,
    step: quantity === 'lr' && axis === 'epoch',
    ...size,
  });
}

/** The picture `exp compare --plot` writes: rate and metric, aligned on epoch (left) and on step (right). */
export function comparisonChart(c: Comparison, title?: string): VegaLiteSpec {
  const row = (q: Quantity) => ({
    hconcat: (['epoch', 'step'] as const).map((a) => strip(comparisonPanel(c, q, a))),
  });
  return {
    ...(title ? { title } : {}),
    vconcat: [row('lr'), row('metric')],
    // One legend for all four panels: the runs are the same everywhere.
    resolve: { scale: { color: 'shared' } },
  } as VegaLiteSpec;
}

// A sub-view may not carry top-level keys; the band chart has none but its type says it might.
const strip = (spec: VegaLiteSpec) => spec as never;

const cellOf = (v: unknown) => (v === undefined ? '—' : formatValue(v));

/** The comparison as rows of cells (header first): what the terminal and the HTML page show. */
export function comparisonTable(c: Comparison): string[][] {
  const header = [
    'run',
    ...c.keys,
    'status',
    `${c.metric} best`,
    'best epoch',
    `${c.metric} final`,
    'epochs',
    'seconds',
    'samples/s',
  ];
  const rows = c.runs.map((r) => {
    const flat = flattenConfig(r.run.config);
    return [
      r.label,
      ...c.keys.map((k) => cellOf(flat[k])),
      r.status,
      formatNumber(r.best?.value ?? null),
      r.best ? String(r.best.epoch) : '—',
      formatNumber(r.final),
      String(r.epochs),
      formatNumber(r.seconds, 3),
      formatNumber(r.samplesPerSecond, 3),
    ];
  });
  return [header, ...rows];
}

/** Groups of repeats: the mean ± std of the best metric over seeds. */
export function groupTable(c: Comparison): string[][] {
  return [
    ['group', 'runs', `${c.metric} best: mean`, 'std'],
    ...c.groups.map((g) => [g.label, String(g.runs.length), formatNumber(g.mean), formatNumber(g.std)]),
  ];
}

/** Cells as aligned plain-text columns for the terminal. */
export function textTable(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
