import type { Dataset, DatasetSplit, TF } from '../types.ts';

/**
 * Examples held as plain arrays before any tensor exists: row-major features (each row
 * `rowLength` numbers, reshaped to `inputShape` later) and integer class labels.
 */
export interface Examples {
  features: Float32Array;
  labels: Int32Array;
  rowLength: number;
}

/** Copies the chosen rows into tensors: x [k, ...inputShape] float32, y one-hot float32. */
export function makeSplit(
  tf: TF,
  examples: Examples,
  rows: ArrayLike<number>,
  inputShape: number[],
  numClasses: number,
): DatasetSplit {
  const { features, labels, rowLength } = examples;
  const x = new Float32Array(rows.length * rowLength);
  const y = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k];
    x.set(features.subarray(r * rowLength, (r + 1) * rowLength), k * rowLength);
    y[k] = labels[r];
  }
  return {
    x: tf.tensor(x, [rows.length, ...inputShape], 'float32'),
    y: tf.tidy(() => tf.oneHot(tf.tensor1d(y, 'int32'), numClasses).toFloat()),
    size: rows.length,
  };
}

/** Wraps splits into a Dataset whose dispose frees them all. */
export function makeDataset(parts: Omit<Dataset, 'dispose'>): Dataset {
  return {
    ...parts,
    dispose() {
      for (const split of [parts.train, parts.val]) {
        if (!split) continue;
        split.x.dispose();
        split.y.dispose();
      }
    },
  };
}
