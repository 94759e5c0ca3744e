/**
 * Scales each column of a row-major matrix to mean 0, standard deviation 1 in place, with
 * statistics from the `fit` rows only (the training rows), so no information leaks from the
 * validation rows into training — scikit-learn's StandardScaler fitted on train.
 */
export function standardizeColumns(
  data: Float32Array,
  cols: number,
  fit: ArrayLike<number>,
): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(cols);
  const std = new Float64Array(cols);
  for (let k = 0; k < fit.length; k++) {
    const row = fit[k] * cols;
    for (let c = 0; c < cols; c++) mean[c] += data[row + c];
  }
  for (let c = 0; c < cols; c++) mean[c] /= fit.length;
  for (let k = 0; k < fit.length; k++) {
    const row = fit[k] * cols;
    for (let c = 0; c < cols; c++) std[c] += (data[row + c] - mean[c]) ** 2;
  }
  for (let c = 0; c < cols; c++) {
    // Population std, as StandardScaler; a constant column is only centred, not divided by 0.
    const s = Math.sqrt(std[c] / fit.length);
    std[c] = s > 1e-12 ? s : 1;
  }
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    data[i] = (data[i] - mean[c]) / std[c];
  }
  return { mean, std };
}
