import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSchedule } from '@anneal/core';
import { schedules } from '@anneal/schedule-cosine-warmup';
import { schedules as cyclical } from '@anneal/schedule-cyclical';
import { TorchOneCycleLR } from '@anneal/schedule-cyclical/reference';
import { selectBackend } from './backend.ts';
import { scheduleCallback } from './callback.ts';
import { createOptimizer, getLearningRate, type OptimizerName } from './optimizers.ts';
import { readEvents } from './tfevents-reader.ts';

const { tf } = await selectBackend('cpu');
const names: OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta'];

// 24 fixed examples of a 3 → 2 regression; batch 8 gives 3 steps an epoch.
const xs = tf.tensor2d(Array.from({ length: 24 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 5) - 2]));
const ys = tf.tensor2d(Array.from({ length: 24 }, (_, i) => [Math.sin(i) - (i % 5) / 4, Math.cos(i)]));

function model(name: OptimizerName, learningRate: number) {
  const m = tf.sequential({
    layers: [tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: 'ones', biasInitializer: 'zeros' })],
  });
  m.compile({ optimizer: createOptimizer(tf, { name, learningRate }), loss: 'meanSquaredError' });
  return m;
}
const weights = (m: ReturnType<typeof model>) => m.getWeights().flatMap((w) => [...w.dataSync()]);

/** Records, after the schedule callback, the rate the optimizer holds when each batch starts. */
function recorder(m: ReturnType<typeof model>, seen: number[]) {
  return { onBatchBegin: async () => void seen.push(getLearningRate(m.optimizer)) };
}

describe('scheduleCallback', () => {
  it('sets the rate before every batch from a built-in schedule, and logs it to logs.lr and TensorBoard', async () => {
    const schedule = createSchedule(
      schedules,
      { name: 'cosine-warmup', warmup: '1ep', hold: 1, epsilon: 1e-4 },
      { base: 0.05, total: '4ep', unit: 'step', stepsPerEpoch: 3 },
    );
    const m = model('adam', 1);
    const seen: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'anneal-callback-'));
    const history = await m.fit(xs, ys, {
      epochs: 4,
      batchSize: 8,
      shuffle: false,
      verbose: 0,
      callbacks: [scheduleCallback(schedule, { model: m, tensorboard: dir }), recorder(m, seen)],
    });
    // Reference: warm-up 0 → base over 3 steps, hold 1, cosine to epsilon at t = 12.
    const ref = (t: number) =>
      t < 3 ? (0.05 * t) / 3 : t < 4 ? 0.05 : 1e-4 + 0.5 * (0.05 - 1e-4) * (1 + Math.cos((Math.PI * (t - 4)) / 8));
    expect(seen).toHaveLength(12);
    seen.forEach((lr, t) => expect(lr).toBeCloseTo(ref(t), 12));
    // logs.lr: the rate in force at the end of each epoch (its last step), as Keras reports it.
    expect(history.history.lr).toHaveLength(4);
    (history.history.lr as number[]).forEach((lr, epoch) => expect(lr).toBeCloseTo(ref(3 * epoch + 2), 12));

    const [file] = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
    const scalars = readEvents(join(dir, file)).flatMap((e) => e.scalars.map((v) => ({ ...v, step: e.step })));
    const steps = scalars.filter((s) => s.tag === 'learning_rate');
    expect(steps.map((s) => s.step)).toEqual([...Array(12).keys()]);
    for (const s of steps) expect(s.value).toBeCloseTo(Math.fround(ref(s.step)), 9);
    const epochs = scalars.filter((s) => s.tag === 'epoch_learning_rate');
    expect(epochs.map((s) => s.step)).toEqual([0, 1, 2, 3]);
  });

  it('with unit epoch, holds one rate per epoch (Keras LearningRateScheduler)', async () => {
    const m = model('sgd', 1);
    const seen: number[] = [];
    await m.fit(xs, ys, {
      epochs: 3,
      batchSize: 8,
      verbose: 0,
      callbacks: [scheduleCallback((epoch) => 0.1 * 0.5 ** epoch, { model: m }), recorder(m, seen)],
    });
    expect(seen).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025]);
  });

  it('drives fitDataset too, counting steps across epochs', async () => {
    const m = model('rmsprop', 1);
    const seen: number[] = [];
    const data = tf.data.zip({ xs: tf.data.array(xs.arraySync()), ys: tf.data.array(ys.arraySync()) }).batch(8);
    await m.fitDataset(data as never, {
      epochs: 2,
      verbose: 0,
      callbacks: [scheduleCallback((t) => 0.01 * (t + 1), { model: m, unit: 'step' }), recorder(m, seen)],
    });
    expect(seen.map((lr) => Math.round(lr * 1e6) / 1e6)).toEqual([0.01, 0.02, 0.03, 0.04, 0.05, 0.06]);
  });

  // The rate must be the one the update uses, not only the number stored: a first batch trained at
  // rate r through the callback (compiled at rate 1) moves the weights exactly as a model compiled
  // at r does. A zero rate leaves them unchanged.
  for (const name of names) {
    it(`${name}: the scheduled rate is the rate the update uses`, async () => {
      const r = 0.03;
      const fit = async (compiled: number, schedule?: (t: number) => number) => {
        const m = model(name, compiled);
        const before = weights(m);
        await m.fit(xs.slice(0, 8), ys.slice(0, 8), {
          epochs: 1,
          batchSize: 8,
          shuffle: false,
          verbose: 0,
          callbacks: schedule ? [scheduleCallback(schedule, { model: m, unit: 'step' })] : [],
        });
        return weights(m).map((w, i) => w - before[i]);
      };
      const viaCallback = await fit(1, () => r);
      const direct = await fit(r);
      expect(direct.some((d) => Math.abs(d) > 1e-6)).toBe(true);
      viaCallback.forEach((d, i) => expect(d).toBeCloseTo(direct[i], 6));
      expect((await fit(1, () => 0)).every((d) => d === 0)).toBe(true);
    });
  }

  it('refuses to run without a model or an optimizer', async () => {
    const m = model('sgd', 1);
    const callback = scheduleCallback(() => 0.1, {});
    await expect(m.fit(xs, ys, { epochs: 1, verbose: 0, callbacks: [callback] })).rejects.toThrow(/give \{ model \}/);
  });

  it('refuses a schedule that cycles the momentum without the tfjs it needs to set it', () => {
    const cycling = { at: () => 0.1, phases: [{ name: 'c', start: 0 }], momentum: () => 0.9 };
    expect(() =>
      scheduleCallback(cycling, { optimizer: createOptimizer(tf, { name: 'adam', learningRate: 0.1 }) }),
    ).toThrow(/cycles the momentum, which needs your tfjs/);
  });

  // One-cycle with cycle_momentum over 4 epochs of 3 batches, against PyTorch's OneCycleLR port.
  it.each(['momentum', 'adam'] as const)(
    '%s: cycles the momentum with the rate (PyTorch cycle_momentum), in logs.momentum and TensorBoard',
    async (name) => {
      const schedule = createSchedule(
        cyclical,
        { name: 'one-cycle', cycleMomentum: true, pctStart: 0.25, threePhase: true },
        { base: 0.1, total: 12, unit: 'step', stepsPerEpoch: 3 },
      );
      const m = model(name, 1);
      const held: number[] = [];
      const o = m.optimizer as unknown as { m: { dataSync(): Float32Array }; beta1: number };
      const dir = mkdtempSync(join(tmpdir(), 'anneal-callback-'));
      const history = await m.fit(xs, ys, {
        epochs: 4,
        batchSize: 8,
        shuffle: false,
        verbose: 0,
        callbacks: [
          scheduleCallback(schedule, { model: m, tf, tensorboard: dir }),
          { onBatchBegin: async () => void held.push(name === 'momentum' ? o.m.dataSync()[0] : o.beta1) },
        ],
      });
      const torch = new TorchOneCycleLR(0.1, 12, 0.25, 'cos', 25, 1e4, true, { base: 0.85, max: 0.95 });
      const expected = Array.from({ length: 12 }, () => {
        torch.step();
        return torch.momentum;
      });
      expect(held).toHaveLength(12);
      held.forEach((v, t) => {
        // Momentum keeps it in a float32 scalar tensor, Adam in a number.
        const want = name === 'momentum' ? Math.fround(expected[t]) : expected[t];
        expect(Math.abs(v - want), `t=${t}`).toBeLessThanOrEqual(1e-7 * want);
      });
      (history.history.momentum as number[]).forEach((v, epoch) =>
        expect(Math.abs(v - expected[3 * epoch + 2])).toBeLessThanOrEqual(1e-12),
      );
      const [file] = readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.'));
      const scalars = readEvents(join(dir, file)).flatMap((e) => e.scalars.map((v) => ({ ...v, step: e.step })));
      const steps = scalars.filter((s) => s.tag === 'momentum');
      expect(steps.map((s) => s.step)).toEqual([...Array(12).keys()]);
      for (const s of steps) expect(s.value).toBeCloseTo(Math.fround(expected[s.step]), 6);
      expect(scalars.filter((s) => s.tag === 'epoch_momentum').map((s) => s.step)).toEqual([0, 1, 2, 3]);
    },
  );
});
