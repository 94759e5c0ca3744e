import { dirname, resolve } from 'node:path';
import { AnnealError, type ExperimentConfig, type PluginRegistry } from '@anneal/core';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { selectBackend, type BackendRequest } from './backend.ts';
import { createPlugin } from './build.ts';
import { trainBatch } from './loop.ts';
import { createOptimizer, setLearningRate, type OptimizerSpec } from './optimizers.ts';
import { createRng, deriveSeed, shuffleInPlace } from './random.ts';
import type { Dataset } from './types.ts';

export interface LrFindInput {
  config: ExperimentConfig;
  registry: PluginRegistry;
  /** The config file (plugin options resolve relative paths against its directory). */
  file: string;
}

export interface LrFindOptions {
  /** First rate tried (> 0). */
  min: number;
  /** Last rate tried (> min). */
  max: number;
  /** Batches in the test, one rate each (≥ 2). */
  steps: number;
  signal?: AbortSignal;
  /** Overrides `train.backend`. */
  backend?: BackendRequest;
}

export interface LrFindResult {
  /** The rate of each step run, increasing geometrically from `min`. */
  lr: number[];
  /** The training loss of each step's batch, before its update. */
  loss: number[];
  /** `loss` smoothed as fastai does (EMA, β = 0.98, bias-corrected). */
  smoothed: number[];
  /** The rate at the steepest descent of the smoothed loss; null when the curve is too short to tell. */
  suggestion: number | null;
  /** The rate at the minimum of the smoothed loss. */
  minLossLr: number;
  /** Why the test ended: the loss blew up, every step ran, or the signal aborted it. */
  stoppedAt: 'diverged' | 'max' | 'interrupted';
  backend: string;
}

/** fastai's smoothing factor for the range test. */
export const SMOOTHING = 0.98;
/** Stop once the smoothed loss exceeds this multiple of its best (fastai, Leslie Smith). */
export const DIVERGENCE_FACTOR = 4;

/** Rate of step `i` of `steps`: geometric from `min` (i = 0) to `max` (i = steps − 1). */
export function rangeRate(i: number, min: number, max: number, steps: number): number {
  return min * (max / min) ** (i / (steps - 1));
}

/**
 * The rate where the smoothed loss falls fastest against log(rate): the most negative forward
 * difference, searched between the first noisy points (the first 10 %, at least 3, where the
 * bias-corrected average still moves a lot) and the minimum. Points at or after the minimum are
 * left out because past it the curve rises towards divergence. Null with fewer than two
 * differences to compare or none falling.
 */
export function suggestLr(lr: number[], smoothed: number[]): number | null {
  const best = argminFinite(smoothed);
  const skip = Math.max(3, Math.floor(smoothed.length / 10));
  if (best < 0 || best - skip < 2) return null;
  let steepest = -1;
  let slope = 0;
  for (let j = skip; j < best; j++) {
    const g = (smoothed[j + 1] - smoothed[j]) / (Math.log(lr[j + 1]) - Math.log(lr[j]));
    if (g < slope) [steepest, slope] = [j, g];
  }
  return steepest < 0 ? null : lr[steepest];
}

/** Index of the smallest finite value, or −1. */
export function argminFinite(values: number[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++)
    if (Number.isFinite(values[i]) && (best < 0 || values[i] < values[best])) best = i;
  return best;
}

/**
 * Leslie Smith's learning-rate range test (as in fastai's `lr_find`): a fresh model from the
 * config, one batch per rate while the rate grows geometrically from `min` to `max`, stopping
 * once the loss diverges. Batches are the ones `exp run` would draw (same seeded per-epoch
 * shuffle), reused epoch after epoch when the test is longer than one epoch.
 */
export async function lrFind(input: LrFindInput, options: LrFindOptions): Promise<LrFindResult> {
  const { config, registry } = input;
  const { min, max, steps } = options;
  if (!(min > 0) || !(max > min) || !Number.isFinite(max) || !Number.isInteger(steps) || steps < 2) {
    throw new AnnealError(
      'USAGE',
      `range test needs 0 < min < max and at least 2 steps (got min ${min}, max ${max}, steps ${steps})`,
    );
  }
  const selected = await selectBackend(options.backend ?? config.train.backend).catch((error) => {
    throw new AnnealError('RUN_FAILED', (error as Error).message);
  });
  const tf = selected.tf;
  let data: Dataset | undefined;
  let model: LayersModel | undefined;
  let optimizer: Optimizer | undefined;
  try {
    const configDir = dirname(resolve(input.file));
    data = await createPlugin<Dataset>(
      registry,
      'dataset',
      config.data,
      { tf, seed: config.seed, configDir },
      'exp lr-find',
    );
    model = await createPlugin<LayersModel>(
      registry,
      'model',
      config.model,
      { tf, seed: config.seed, configDir, inputShape: data.inputShape, numClasses: data.numClasses },
      'exp lr-find',
    );
    optimizer = createOptimizer(tf, { ...config.optimizer, learningRate: min } as OptimizerSpec);

    const { batchSize, shuffle } = config.train;
    const n = data.train.size;
    const batches = Math.ceil(n / batchSize);
    const result: LrFindResult = {
      lr: [],
      loss: [],
      smoothed: [],
      suggestion: null,
      minLossLr: min,
      stoppedAt: 'max',
      backend: selected.backend,
    };
    let order = new Int32Array(0);
    let avg = 0;
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < steps; i++) {
      const b = i % batches;
      if (b === 0) {
        order = Int32Array.from({ length: n }, (_, k) => k);
        // The label `exp run` uses, so the test sees the batches the run will start with.
        if (shuffle) shuffleInPlace(order, createRng(deriveSeed(config.seed, `epoch/${i / batches}`)));
      }
      const lr = rangeRate(i, min, max, steps);
      setLearningRate(optimizer, lr);
      const [loss] = trainBatch(
        tf,
        model,
        optimizer,
        data.train,
        order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)),
      );
      if (!Number.isFinite(loss)) {
        if (i === 0)
          throw new AnnealError('RUN_FAILED', `the loss was ${loss} at the first step (lr ${lr})`, {
            hint: 'check the data for NaN or huge values, or lower --min',
          });
        result.stoppedAt = 'diverged';
        break;
      }
      avg = SMOOTHING * avg + (1 - SMOOTHING) * loss;
      const smooth = avg / (1 - SMOOTHING ** (i + 1));
      result.lr.push(lr);
      result.loss.push(loss);
      result.smoothed.push(smooth);
      best = Math.min(best, smooth);
      if (smooth > DIVERGENCE_FACTOR * best) {
        result.stoppedAt = 'diverged';
        break;
      }
      if (options.signal?.aborted) {
        result.stoppedAt = 'interrupted';
        break;
      }
    }
    result.minLossLr = result.lr[argminFinite(result.smoothed)];
    result.suggestion = suggestLr(result.lr, result.smoothed);
    return result;
  } catch (error) {
    if (error instanceof AnnealError) throw error;
    throw new AnnealError('RUN_FAILED', `range test failed: ${(error as Error)?.message ?? error}`, { cause: error });
  } finally {
    model?.dispose();
    data?.dispose();
    optimizer?.dispose();
  }
}
