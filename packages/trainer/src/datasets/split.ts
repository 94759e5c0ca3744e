import { createRng, deriveSeed, shuffleInPlace } from '../random.ts';

/** The `validationSplit` option shared by the datasets that can hold data out. */
export function validationSplitOption<const D extends number>(defaultValue: D) {
  return {
    type: 'number',
    minimum: 0,
    exclusiveMaximum: 1,
    default: defaultValue,
    description: 'Fraction of the training examples held out (after a seeded shuffle) for validation; 0 for none.',
  } as const;
}

/**
 * How many of `n` examples train and how many validate. Rounded to the nearest example (as
 * scikit-learn's train_test_split rounds its test share up; nearest is symmetric and close),
 * and a positive split always holds out at least one example so `val` is never empty.
 * `count()` calls this too, so the `step` unit and the real run agree. Fewer than two examples
 * cannot be split: they all train (none is then reported by validation as an empty data set).
 */
export function splitSizes(n: number, validationSplit: number): { train: number; val: number } {
  if (validationSplit <= 0 || n < 2) return { train: n, val: 0 };
  const val = Math.min(Math.max(1, Math.round(n * validationSplit)), n - 1);
  return { train: n - val, val };
}

/** A seeded permutation of 0..n-1; the label keeps it independent of other streams. */
export function shuffledIndices(n: number, seed: number, label: string): Int32Array {
  const indices = Int32Array.from({ length: n }, (_, i) => i);
  return shuffleInPlace(indices, createRng(deriveSeed(seed, label)));
}
