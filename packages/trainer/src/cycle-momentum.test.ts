import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSchedule, PluginRegistry, type Schedule } from '@anneal/core';
import { schedules as cyclical } from '@anneal/schedule-cyclical';
import { TorchCyclicLR, TorchOneCycleLR } from '@anneal/schedule-cyclical/reference';
import { selectBackend } from './backend.ts';
import type { BatchInfo, EpochRow, TrainerHooks } from './hooks.ts';
import { MetricsLogger } from './loggers/metrics.ts';
import { PlotsLogger } from './loggers/plots.ts';
import { TensorBoardLogger } from './loggers/tensorboard.ts';
import { trainLoop } from './loop.ts';
import { createOptimizer, type OptimizerName } from './optimizers.ts';
import { readEvents } from './tfevents-reader.ts';

const { tf } = await selectBackend('cpu');

/** The momentum the optimizer holds for its next step, read back from tfjs's own fields. */
function heldMomentum(name: OptimizerName, optimizer: unknown): number {
  const o = optimizer as { m: { dataSync(): Float32Array }; momentum: number; beta1: number };
  if (name === 'momentum') return o.m.dataSync()[0]; // the scalar tensor its step multiplies by
  return name === 'rmsprop' ? o.momentum : o.beta1;
}

/**
 * `epochs` epochs of `batches` batches of 4 on a 3 → 2 softmax layer, with a schedule that cycles
 * the momentum; `hooks` see every batch, and `held` is the momentum read back from the optimizer
 * after each (the one its step used: nothing else sets it between two steps).
 */
async function run(
  name: OptimizerName,
  schedule: Schedule | ((t: number) => number),
  { epochs = 2, batches = 2, hooks = [] as TrainerHooks[] } = {},
) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })] });
  const optimizer = createOptimizer(tf, { name, learningRate: 0.1 });
  const n = 4 * batches;
  const x = tf.tensor2d(Array.from({ length: n }, (_, i) => [i / n, 1 - i / n, (i % 3) / 3]));
  const y = tf
    .oneHot(
      tf.tensor1d(
        Array.from({ length: n }, (_, i) => (i * 7) % 2),
        'int32',
      ),
      2,
    )
    .toFloat();
  const plan: Schedule =
    typeof schedule === 'function'
      ? { at: () => 0.1, phases: [{ name: 'constant', start: 0 }], momentum: schedule }
      : schedule;
  const held: number[] = [];
  const config = {
    seed: 1,
    optimizer: { name, learningRate: 0.1 },
    schedule: { name: 'test', unit: 'step' },
    train: { epochs, batchSize: 4, shuffle: false, checkpoint: { best: false } },
  };
  try {
    await trainLoop({
      tf,
      config: config as never,
      plan: { schedule: plan, unit: 'step', epochs, stepsPerEpoch: batches, fixedSteps: false },
      stepsPerEpoch: batches,
      model,
      optimizer,
      data: { train: { x, y, size: n }, inputShape: [3], numClasses: 2, dispose: () => {} } as never,
      hooks: [{ onBatchEnd: () => void held.push(heldMomentum(name, optimizer)) }, ...hooks],
    });
    return held;
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

describe('the loop applies a schedule’s momentum (cycle_momentum) before every step', () => {
  it.each(['momentum', 'adam'] as const)('%s', async (name) => {
    const seen = await run(name, (t: number) => 0.9 - t / 20);
    expect(seen).toHaveLength(4);
    seen.forEach((m, t) => expect(m).toBeCloseTo(0.9 - t / 20, 6));
  });

  it('stops with a clear error for an optimizer without momentum', async () => {
    await expect(run('sgd', () => 0.9)).rejects.toThrow(/'sgd' has no momentum/);
  });
});

/** A schedule as a config builds it, through core with the cyclical plugins. */
function build(spec: { name: string; [k: string]: unknown }, runTotal: number): Schedule {
  const registry = new PluginRegistry();
  for (const p of cyclical) registry.register(p);
  return buildSchedule(spec, { registry, base: 0.1, unit: 'step', stepsPerEpoch: 4, runTotal });
}

describe('the momentum logged is the one the optimizer used, and PyTorch’s (cycle_momentum)', () => {
  const T = 12; // 3 epochs of 4 batches

  it.each(['momentum', 'rmsprop', 'adam', 'adamax'] as const)('%s with one-cycle and cyclical', async (name) => {
    const cases = [
      {
        schedule: build({ name: 'one-cycle', cycleMomentum: true, pctStart: 0.25, threePhase: true }, T),
        torch: new TorchOneCycleLR(0.1, T, 0.25, 'cos', 25, 1e4, true, { base: 0.85, max: 0.95 }),
      },
      {
        schedule: build({ name: 'cyclical', cycleMomentum: true, baseLr: 0.01, stepSizeUp: 3, stepSizeDown: 2 }, T),
        torch: new TorchCyclicLR(0.01, 0.1, 3, 2, 'triangular', 1, { base: 0.8, max: 0.9 }),
      },
    ];
    for (const { schedule, torch } of cases) {
      const logged: BatchInfo[] = [];
      const held = await run(name, schedule, {
        epochs: 3,
        batches: 4,
        hooks: [{ onBatchEnd: (b) => void logged.push(b) }],
      });
      expect(logged.map((b) => b.step)).toEqual([...Array(T).keys()]);
      logged.forEach((b, t) => {
        const rate = torch.step();
        const label = `${name} t=${t}`;
        expect(Math.abs(b.momentum! - torch.momentum), label).toBeLessThanOrEqual(1e-12 * torch.momentum);
        expect(Math.abs(b.lr - rate), label).toBeLessThanOrEqual(1e-12 * rate);
        // `momentum` keeps it in a float32 tensor; the others in a number, exactly.
        if (name === 'momentum') expect(held[t], label).toBe(Math.fround(b.momentum!));
        else expect(held[t], label).toBe(b.momentum);
      });
    }
  });

  it('lr.csv, metrics.csv/jsonl and TensorBoard carry it beside the rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-momentum-'));
    const metrics = new MetricsLogger(dir, [], true);
    const board = new TensorBoardLogger(dir);
    metrics.onRunStart();
    await board.onRunStart({ config: { schedule: { unit: 'step' } }, startEpoch: 0 } as never);
    const schedule = build({ name: 'one-cycle', cycleMomentum: true }, T);
    const held = await run('adam', schedule, { epochs: 3, batches: 4, hooks: [metrics, board] });
    metrics.onRunEnd();
    await board.onRunEnd();

    const lr = readFileSync(join(dir, 'lr.csv'), 'utf8').trim().split('\n');
    expect(lr[0]).toBe('step,epoch,lr,momentum');
    const steps = lr.slice(1).map((l) => l.split(',').map(Number));
    expect(steps.map(([step, epoch]) => [step, epoch])).toEqual(
      [...Array(T).keys()].map((t) => [t, Math.floor(t / 4)]),
    );
    steps.forEach(([t, , rate, momentum]) => {
      expect(rate).toBe(schedule.at(t));
      expect(momentum).toBe(schedule.momentum!(t));
      expect(momentum).toBe(held[t]);
    });

    const rows: EpochRow[] = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.momentum)).toEqual([3, 7, 11].map((t) => schedule.momentum!(t)));
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('epoch,step,lr,momentum,loss,acc,val_loss,val_acc,seconds');
    expect(csv.slice(1).map((l) => Number(l.split(',')[3]))).toEqual(rows.map((r) => r.momentum));

    const events = readEvents(join(dir, readdirSync(dir).find((f) => f.startsWith('events.out.tfevents'))!));
    const series = (tag: string) =>
      events.flatMap((e) => e.scalars.filter((s) => s.tag === tag).map((s) => [e.step, s.value]));
    expect(series('momentum')).toEqual(steps.map(([t, , , m]) => [t, Math.fround(m)]));
    expect(series('epoch_momentum')).toEqual(rows.map((r) => [r.epoch, Math.fround(r.momentum!)]));

    // plots/lr.svg gains a momentum panel under the rate.
    await new PlotsLogger(dir, 'step', schedule).onRunEnd({ name: 'cycled' } as never);
    const svg = readFileSync(join(dir, 'plots', 'lr.svg'), 'utf8');
    expect(svg).toMatch(/>momentum</);
    expect(svg).toMatch(/>learning rate</);
  }, 60_000);

  it('without cycleMomentum nothing mentions a momentum', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-momentum-'));
    const metrics = new MetricsLogger(dir, [], false);
    metrics.onRunStart();
    const logged: BatchInfo[] = [];
    await run('adam', build({ name: 'one-cycle' }, T), {
      epochs: 3,
      batches: 4,
      hooks: [metrics, { onBatchEnd: (b) => void logged.push(b) }],
    });
    expect(logged.every((b) => !('momentum' in b))).toBe(true);
    expect(readFileSync(join(dir, 'lr.csv'), 'utf8').split('\n')[0]).toBe('step,epoch,lr');
    expect(readFileSync(join(dir, 'metrics.csv'), 'utf8')).not.toMatch(/momentum/);
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).not.toMatch(/momentum/);
  });
});
