import { describe, expect, it } from 'vitest';
import type { Schedule } from '@anneal/core';
import { selectBackend } from './backend.ts';
import { trainLoop } from './loop.ts';
import { createOptimizer, type OptimizerName } from './optimizers.ts';

const { tf } = await selectBackend('cpu');

/** Two epochs of two batches on a 3 → 2 softmax layer, with a schedule that cycles the momentum. */
async function run(name: OptimizerName, momentum: (t: number) => number) {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], activation: 'softmax' })] });
  const optimizer = createOptimizer(tf, { name, learningRate: 0.1 });
  const x = tf.tensor2d(Array.from({ length: 8 }, (_, i) => [i / 8, 1 - i / 8, (i % 3) / 3]));
  const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1, 1, 0, 1, 0], 'int32'), 2).toFloat();
  const schedule: Schedule = { at: () => 0.1, phases: [{ name: 'constant', start: 0 }], momentum };
  const seen: number[] = [];
  const config = {
    seed: 1,
    optimizer: { name, learningRate: 0.1 },
    schedule: { name: 'test', unit: 'step' },
    train: { epochs: 2, batchSize: 4, shuffle: false, checkpoint: { best: false } },
  };
  try {
    await trainLoop({
      tf,
      config: config as never,
      plan: { schedule, unit: 'step', epochs: 2, stepsPerEpoch: 2, fixedSteps: false },
      stepsPerEpoch: 2,
      model,
      optimizer,
      data: { train: { x, y, size: 8 }, inputShape: [3], numClasses: 2, dispose: () => {} } as never,
      hooks: [
        {
          onBatchEnd: () => {
            const o = optimizer as unknown as { m?: { dataSync(): Float32Array }; beta1?: number };
            seen.push(o.m ? o.m.dataSync()[0] : o.beta1!);
          },
        },
      ],
    });
    return seen;
  } finally {
    tf.dispose([x, y]);
    optimizer.dispose();
    model.dispose();
  }
}

describe('the loop applies a schedule’s momentum (cycle_momentum) before every step', () => {
  it.each(['momentum', 'adam'] as const)('%s', async (name) => {
    const seen = await run(name, (t) => 0.9 - t / 20);
    expect(seen).toHaveLength(4);
    seen.forEach((m, t) => expect(m).toBeCloseTo(0.9 - t / 20, 6));
  });

  it('stops with a clear error for an optimizer without momentum', async () => {
    await expect(run('sgd', () => 0.9)).rejects.toThrow(/'sgd' has no momentum/);
  });
});
