import { isFiniteNumber, type Row } from '../spec.ts';
import type { BandPoint } from '../band-chart.ts';
import { formatValue } from '../format.ts';
import type { RunData } from './run-dir.ts';

export interface CompareOptions {
  /** The metric to rank and draw; default the first of val_acc, val_loss, acc, loss that the runs have. */
  metric?: string;
}

export interface ComparedRun {
  run: RunData;
  label: string;
  /** The group of repeats (same config but the seed) this run belongs to. */
  group: string;
  seed: number | null;
  status: string;
  /** Best over epochs by the metric's goal, with its 1-based epoch. */
  best: { value: number; epoch: number } | null;
  final: number | null;
  epochs: number;
  seconds: number | null;
  samplesPerSecond: number | null;
}

export interface RunGroup {
  label: string;
  runs: ComparedRun[];
  /** Mean and sample standard deviation of the runs' best metric (std null for one run). */
  mean: number | null;
  std: number | null;
}

export interface Comparison {
  metric: string;
  goal: 'max' | 'min';
  /** Config keys (dotted) whose values differ between the runs: only these are shown. */
  keys: string[];
  runs: ComparedRun[];
  groups: RunGroup[];
}

const CANDIDATES = ['val_acc', 'val_loss', 'acc', 'loss'];
// Keys that differ between any two runs without making them different experiments.
const IGNORED = new Set(['name', 'output.dir']);
const NOT_CONFIG = new Set(['seed']);

/** Accuracy-like metrics go up; losses and errors go down. */
export function metricGoal(metric: string): 'max' | 'min' {
  return /acc|auc|precision|recall|f1|iou/i.test(metric) ? 'max' : 'min';
}

/** `{ a: { b: 1 } }` → `{ 'a.b': 1 }`; arrays stay whole values (a list of layers is one setting). */
export function flattenConfig(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenConfig(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out[prefix] = value;
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Config keys whose values are not the same in every run (missing counts as a value). */
export function differingKeys(configs: Array<Record<string, unknown>>): string[] {
  const flat = configs.map((c) => flattenConfig(c));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))].filter((k) => !IGNORED.has(k));
  return keys.filter((k) => flat.some((f) => !same(f[k], flat[0][k])));
}

function bestOf(rows: Row[], metric: string, goal: 'max' | 'min') {
  let best: { value: number; epoch: number } | null = null;
  rows.forEach((r, i) => {
    const v = r[metric];
    if (!isFiniteNumber(v)) return;
    const epoch = (isFiniteNumber(r.epoch) ? r.epoch : i) + 1;
    if (best === null || (goal === 'max' ? v > best.value : v < best.value)) best = { value: v, epoch };
  });
  return best as { value: number; epoch: number } | null;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sampleStd = (xs: number[]) => {
  if (xs.length < 2) return null;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** Config differences, best and final metric, time and throughput of each run; repeats grouped. */
export function compareRuns(runs: RunData[], options: CompareOptions = {}): Comparison {
  const metric =
    options.metric ??
    CANDIDATES.find((m) => runs.some((r) => r.metrics.some((row) => isFiniteNumber(row[m])))) ??
    'loss';
  const goal = metricGoal(metric);
  const keys = differingKeys(runs.map((r) => r.config));
  const flat = runs.map((r) => flattenConfig(r.config));
  // Same name and config but the seed: repeats of one experiment.
  const groupKey = (i: number) =>
    JSON.stringify([runs[i].name, ...keys.filter((k) => !NOT_CONFIG.has(k)).map((k) => flat[i][k] ?? null)]);
  const names = new Set(runs.map((r) => r.name));
  const groupKeys = [...new Set(runs.map((_, i) => groupKey(i)))];
  const groupLabel = (i: number) => {
    const describing = keys.filter((k) => !NOT_CONFIG.has(k));
    // One name per group already tells them apart; otherwise say what differs.
    if (names.size === groupKeys.length || describing.length === 0) return runs[i].name;
    return describing.map((k) => `${k.split('.').pop()}=${formatValue(flat[i][k])}`).join(' ');
  };
  const groupSize = new Map<string, number>();
  for (let i = 0; i < runs.length; i++) groupSize.set(groupKey(i), (groupSize.get(groupKey(i)) ?? 0) + 1);
  const used = new Map<string, number>();
  const compared: ComparedRun[] = runs.map((run, i) => {
    const seed = isFiniteNumber(run.config.seed) ? run.config.seed : (run.summary?.seed ?? null);
    const group = groupLabel(i);
    let label = groupSize.get(groupKey(i))! > 1 ? `${group} seed=${seed}` : group;
    const n = (used.get(label) ?? 0) + 1;
    used.set(label, n);
    if (n > 1) label = `${label} (${n})`;
    const values = run.metrics.map((r) => r[metric]).filter(isFiniteNumber);
    return {
      run,
      label,
      group,
      seed,
      status: run.summary?.status ?? 'unknown',
      best: bestOf(run.metrics, metric, goal),
      final: values.at(-1) ?? null,
      epochs: run.metrics.length,
      seconds: run.summary?.seconds ?? null,
      samplesPerSecond: run.summary?.samplesPerSecond ?? null,
    };
  });
  const groups: RunGroup[] = [];
  for (const r of compared) {
    let g = groups.find((x) => x.label === r.group);
    if (!g) {
      g = { label: r.group, runs: [], mean: null, std: null };
      groups.push(g);
    }
    g.runs.push(r);
  }
  for (const g of groups) {
    const bests = g.runs.flatMap((r) => (r.best ? [r.best.value] : []));
    g.mean = bests.length ? mean(bests) : null;
    g.std = sampleStd(bests);
  }
  return { metric, goal, keys, runs: compared, groups };
}

/** Values of one run against x (rows with both finite). */
function curve(rows: Row[], x: (r: Row, i: number) => number | undefined, y: (r: Row) => unknown) {
  return rows.flatMap((r, i) => {
    const [px, py] = [x(r, i), y(r)];
    return isFiniteNumber(px) && isFiniteNumber(py) ? [{ x: px, y: py }] : [];
  });
}

/** A group's curves folded into mean ± sample std at each x (the band needs two runs at that x). */
export function meanBand(curves: Array<Array<{ x: number; y: number }>>): BandPoint[] {
  if (curves.length === 1) return curves[0];
  const byX = new Map<number, number[]>();
  for (const c of curves) for (const p of c) byX.set(p.x, [...(byX.get(p.x) ?? []), p.y]);
  return [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const m = mean(ys);
      const s = sampleStd(ys);
      return s === null ? { x, y: m } : { x, y: m, lo: m - s, hi: m + s };
    });
}

export type Axis = 'epoch' | 'step';
export type Quantity = 'lr' | 'metric';

/**
 * One series per group of repeats (mean with band) or per single run, for the learning rate or
 * the metric against epochs (1-based) or steps. Per-step rates come from lr.csv when the run has it.
 */
export function comparisonSeries(
  c: Comparison,
  quantity: Quantity,
  axis: Axis,
): Array<{ name: string; points: BandPoint[] }> {
  const field = quantity === 'lr' ? 'lr' : c.metric;
  const one = (r: ComparedRun) => {
    const rows = r.run.metrics;
    if (quantity === 'lr' && axis === 'step' && r.run.lrSteps)
      return r.run.lrSteps.map((y, x) => ({ x, y })).filter((p) => Number.isFinite(p.y));
    if (quantity === 'lr' && axis === 'step')
      // A rate set per epoch holds from the epoch's first step to its last: draw both ends, so a
      // drop is a drop and not a ramp across the epoch.
      return rows.flatMap((row, i) => {
        const end = row.step;
        const start = i === 0 ? 0 : rows[i - 1].step;
        return isFiniteNumber(end) && isFiniteNumber(start) && isFiniteNumber(row.lr)
          ? [
              { x: start, y: row.lr },
              { x: end - 1, y: row.lr },
            ]
          : [];
      });
    const x = (row: Row, i: number) =>
      axis === 'epoch' ? (isFiniteNumber(row.epoch) ? row.epoch : i) + 1 : (row.step as number | undefined);
    return curve(rows, x, (row) => row[field]);
  };
  return c.groups.map((g) =>
    g.runs.length > 1
      ? { name: `${g.label} (mean ± std, n=${g.runs.length})`, points: meanBand(g.runs.map(one)) }
      : { name: g.runs[0].label, points: one(g.runs[0]) },
  );
}
