import { AnnealError } from '@anneal/core';
import type { Dataset, TF } from '../types.ts';
import { shuffledIndices, splitSizes } from './split.ts';
import { standardizeColumns } from './standardize.ts';
import { makeDataset, makeSplit, type Examples } from './tensors.ts';

export interface TabularOptions {
  validationSplit: number;
  standardize: boolean;
  seed: number;
  /** Names the shuffle stream, so two datasets with the same seed do not shuffle alike by accident. */
  label: string;
  numClasses: number;
  classNames?: string[];
}

/**
 * The path shared by iris, csv and synthetic: seeded shuffle, hold-out split, standardise
 * with training statistics, then tensors. `examples.features` is modified in place.
 */
export function tabularDataset(tf: TF, examples: Examples, options: TabularOptions): Dataset {
  const n = examples.labels.length;
  if (n < 2)
    throw new AnnealError('DATA', `A dataset needs at least 2 examples; got ${n}.`, {
      hint: 'add rows to the data, or lower data.validationSplit',
    });
  const order = shuffledIndices(n, options.seed, `${options.label}/split`);
  const sizes = splitSizes(n, options.validationSplit);
  const trainRows = order.subarray(0, sizes.train);
  const valRows = order.subarray(sizes.train);
  if (options.standardize) standardizeColumns(examples.features, examples.rowLength, trainRows);
  const inputShape = [examples.rowLength];
  return makeDataset({
    train: makeSplit(tf, examples, trainRows, inputShape, options.numClasses),
    ...(sizes.val > 0
      ? { val: makeSplit(tf, examples, valRows, inputShape, options.numClasses), valSource: 'split' as const }
      : {}),
    inputShape,
    numClasses: options.numClasses,
    ...(options.classNames ? { classNames: options.classNames } : {}),
  });
}
