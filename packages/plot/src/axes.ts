import { isFiniteNumber } from './spec.ts';

/**
 * Epochs are shown 1-based, as Keras prints `Epoch 1/12` and the rest of anneal counts them;
 * metrics.jsonl and the schedule's `t` stay 0-based (the first epoch is t = 0).
 */
export const displayEpoch = (t: number) => t + 1;

/** An x axis that ends where the run ends (no nice rounding past it) with whole-number ticks. */
export function timeAxis(title: string, lo: number, hi: number) {
  return {
    title,
    scale: { domain: [lo, Math.max(hi, lo + 1)], nice: false, zero: false },
    axis: { tickMinStep: 1, format: 'd' },
  };
}

/**
 * A log axis when the positive values span `ratio` (two decades) or more: step
 * decay's 1e-5/1e-6 levels and an epsilon floor vanish into the baseline of a linear axis.
 */
export function wantsLog(values: Iterable<number>, ratio = 100): boolean {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!isFiniteNumber(v) || v <= 0) continue;
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return hi / lo >= ratio;
}

/** d3-format for a log axis: every tick in the same exponent form (1e-5, 1e-4 …). */
export const logAxis = { format: '.0e', labelOverlap: 'greedy' } as const;

/**
 * Colours for series drawn on one chart, in the order given (rank order): ten well-separated
 * hues, twenty (paired light/dark) past that, so no two neighbours in a legend look alike.
 */
export function seriesColors(names: string[]) {
  return { domain: names, scheme: names.length <= 10 ? 'category10' : 'tableau20' } as const;
}

/** A legend that lists every series in full (vega cuts labels at 160 px by default). */
export const fullLegend = { labelLimit: 0, symbolLimit: 0, columns: 1 } as const;

/** `name` of each series, and ` (same curve as X)` for one that repeats an earlier series exactly. */
export function labelDuplicates<T>(series: Array<{ name: string; values: T[] }>): string[] {
  const seen = new Map<string, string>();
  return series.map((s) => {
    const key = JSON.stringify(s.values);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, s.name);
    return first === undefined ? s.name : `${s.name} (same curve as ${first})`;
  });
}
