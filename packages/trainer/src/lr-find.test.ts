import { describe, expect, it } from 'vitest';
import { PluginRegistry, type ExperimentConfig } from '@anneal/core';
import { selectBackend } from './backend.ts';
import { argminFinite, lrFind, rangeRate, suggestLr, type LrFindResult } from './lr-find.ts';
import { datasets, models } from './plugins.ts';

const { tf } = await selectBackend('cpu');

const registry = new PluginRegistry();
for (const plugin of [...datasets, ...models]) registry.register(plugin, '@anneal/trainer');

/** A validated-looking config (defaults filled in): 3 Gaussian blobs, a 16-unit MLP, cpu. */
function config(optimizer: ExperimentConfig['optimizer']): ExperimentConfig {
  return {
    name: 'lr-find-test',
    seed: 7,
    plugins: [],
    data: { name: 'synthetic', kind: 'blobs', samples: 240, classes: 3, noise: 0.3, validationSplit: 0.2 },
    model: { name: 'mlp', hidden: [16], activation: 'relu', dropout: 0 },
    optimizer,
    schedule: { name: 'constant', unit: 'epoch' },
    train: { epochs: 1, batchSize: 16, shuffle: true, backend: 'cpu' },
    output: { dir: 'runs', tensorboard: false, plots: false, saveModel: false },
  };
}

const find = (optimizer: ExperimentConfig['optimizer'], options: { min: number; max: number; steps: number }) =>
  lrFind({ config: config(optimizer), registry, file: 'c.yaml' }, options);

describe('lrFind (range test on synthetic blobs)', () => {
  // 192 training examples in batches of 16: 12 batches an epoch, so 80 steps reuse the data.
  let result: LrFindResult;
  let leaked = 0;
  it('runs without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    result = await find({ name: 'sgd', learningRate: 0.1 }, { min: 1e-3, max: 10, steps: 80 });
    leaked = tf.memory().numTensors - before;
    expect(leaked).toBe(0);
    expect(result.backend).toBe('cpu');
    expect(result.lr.length).toBeGreaterThan(12);
  });

  it('tries rates exactly geometric from min to max', () => {
    result.lr.forEach((lr, i) => expect(lr).toBeCloseTo(1e-3 * (10 / 1e-3) ** (i / 79), 12));
    expect(result.lr[0]).toBe(1e-3);
    if (result.stoppedAt === 'max') expect(result.lr.at(-1)).toBeCloseTo(10, 10);
    expect(rangeRate(79, 1e-3, 10, 80)).toBeCloseTo(10, 12);
  });

  it('smooths the loss with the bias-corrected EMA (β = 0.98)', () => {
    expect(result.loss.every(Number.isFinite)).toBe(true);
    let avg = 0;
    const expected = result.loss.map((l, i) => {
      avg = 0.98 * avg + 0.02 * l;
      return avg / (1 - 0.98 ** (i + 1));
    });
    result.smoothed.forEach((s, i) => expect(s).toBeCloseTo(expected[i], 10));
    // Bias correction: the first smoothed value is the first loss, not 2 % of it.
    expect(result.smoothed[0]).toBeCloseTo(result.loss[0], 12);
  });

  it('suggests a rate where the smoothed loss is still falling, below its minimum', () => {
    const best = argminFinite(result.smoothed);
    expect(result.minLossLr).toBe(result.lr[best]);
    expect(result.suggestion).not.toBeNull();
    const at = result.lr.indexOf(result.suggestion!);
    expect(at).toBeGreaterThanOrEqual(3);
    expect(result.suggestion!).toBeGreaterThan(1e-3);
    expect(result.suggestion!).toBeLessThan(result.minLossLr);
    expect(result.smoothed[at]).toBeGreaterThan(result.smoothed[best]);
    expect(result.smoothed[at + 1]).toBeLessThan(result.smoothed[at]);
  });

  it('stops early once the loss diverges', async () => {
    const before = tf.memory().numTensors;
    const diverged = await find({ name: 'sgd', learningRate: 0.1 }, { min: 1e-3, max: 1e3, steps: 200 });
    expect(tf.memory().numTensors).toBe(before);
    expect(diverged.stoppedAt).toBe('diverged');
    expect(diverged.lr.length).toBeLessThan(200);
    const last = diverged.smoothed.at(-1)!;
    // Either the last smoothed loss passed 4× the best, or the next loss was not finite.
    if (Number.isFinite(last)) expect(last > 4 * Math.min(...diverged.smoothed) || diverged.lr.length < 200).toBe(true);
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const stopped = await lrFind(
      { config: config({ name: 'adam', learningRate: 1e-3 }), registry, file: 'c.yaml' },
      { min: 1e-5, max: 1, steps: 50, signal: controller.signal },
    );
    expect(stopped.stoppedAt).toBe('interrupted');
    expect(stopped.lr).toHaveLength(1);
  });
});

describe('suggestLr', () => {
  const lr = Array.from({ length: 40 }, (_, i) => rangeRate(i, 1e-4, 1, 40));

  it('picks the steepest fall against log(lr), before the minimum and after the noisy start', () => {
    // Flat, then falling fastest at index 20 → 21, minimum at 30, then rising.
    const smoothed = lr.map((_, i) =>
      i < 10 ? 2 : i < 30 ? 2 - 0.05 * (i - 10) - (i > 20 ? 0.3 : 0) : 1 + 0.2 * (i - 30),
    );
    expect(suggestLr(lr, smoothed)).toBe(lr[20]);
  });

  it('ignores a steep drop among the first points', () => {
    const smoothed = lr.map((_, i) => (i === 0 ? 10 : i < 30 ? 3 - 0.01 * i : 3 + i));
    expect(suggestLr(lr, smoothed)).toBeGreaterThan(lr[3] - 1e-12);
  });

  it('is null when the minimum comes too early or the loss never falls', () => {
    expect(
      suggestLr(
        lr,
        lr.map((_, i) => 1 + i),
      ),
    ).toBeNull();
    expect(suggestLr(lr.slice(0, 4), [3, 2, 1, 0.5])).toBeNull();
    expect(suggestLr([], [])).toBeNull();
  });
});
