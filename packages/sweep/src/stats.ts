import jstat from 'jstat';

const { jStat } = jstat;

/**
 * The statistics a sweep's ranking needs to say when a difference is noise: mean, sample
 * standard deviation and a Student-t 95% confidence interval per point, and two tests of a
 * point against the best one — paired when both ran the same seeds (anneal's repeats share
 * seeds across points, i.e. common random numbers), Welch's unequal-variance t-test otherwise.
 * jstat provides Student's t distribution (cdf and inverse); the rest is the textbook formulas.
 */

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null below two values. */
  std: number | null;
  /** Half-width of the two-sided 95% confidence interval of the mean; null below two values. */
  ci95: number | null;
}

export interface TestResult {
  test: 'paired-t' | 'welch-t';
  t: number;
  df: number;
  /** Two-sided p-value. */
  p: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[], m = mean(xs)) => xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);

/** Two-sided p-value of a t statistic; a zero-variance difference is certain (t = ±∞) or none (t = NaN). */
function twoSided(t: number, df: number): number {
  if (Number.isNaN(t)) return 1;
  if (!Number.isFinite(t)) return 0;
  return Math.min(1, 2 * jStat.studentt.cdf(-Math.abs(t), df));
}

export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new RangeError('summarize needs at least one value');
  const m = mean(xs);
  if (xs.length < 2) return { n: xs.length, mean: m, std: null, ci95: null };
  const std = Math.sqrt(variance(xs, m));
  const ci95 = jStat.studentt.inv(0.975, xs.length - 1) * (std / Math.sqrt(xs.length));
  return { n: xs.length, mean: m, std, ci95 };
}

/** Welch's t-test (unequal variances, Welch–Satterthwaite degrees of freedom). */
export function welchTest(a: readonly number[], b: readonly number[]): TestResult {
  if (a.length < 2 || b.length < 2) throw new RangeError("Welch's test needs two values on each side");
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { test: 'welch-t', t, df, p: twoSided(t, Number.isFinite(df) ? df : a.length + b.length - 2) };
}

/** Paired t-test on the per-seed differences a[i] − b[i]. */
export function pairedTest(a: readonly number[], b: readonly number[]): TestResult {
  if (a.length !== b.length || a.length < 2) throw new RangeError('a paired test needs two or more pairs');
  const d = a.map((x, i) => x - b[i]);
  const t = mean(d) / Math.sqrt(variance(d) / d.length);
  return { test: 'paired-t', t, df: d.length - 1, p: twoSided(t, d.length - 1) };
}
