// Every built-in model, with every activation it offers, trains for one epoch on every backend
// this machine has. This is how a gradient kernel missing from a backend (wasm 4.22 lacks
// Conv2DBackpropFilter) is found before a user's run crashes on it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { saveModel } from '../model-io.ts';
import { models } from '../plugins.ts';
import { activations } from './activations.ts';
import { mlp } from './mlp.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'anneal-train-every-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Variant = { label: string; options: Record<string, unknown>; inputShape: number[] };
const image = [8, 8, 1];
/** The option sets each built-in model is trained with; a new model must be added here. */
const variants: Record<string, Variant[]> = {
  mlp: activations.map((activation) => ({
    label: activation,
    options: { hidden: [6], activation, dropout: 0.25 },
    inputShape: image,
  })),
  cnn: [{ label: 'defaults', options: { filters: [3, 4], kernelSize: 3, dense: 8, dropout: 0.25 }, inputShape: image }],
  file: [{ label: 'saved mlp', options: { path: 'saved/model.json' }, inputShape: image }],
};

it('covers every built-in model', () => {
  expect(Object.keys(variants).sort()).toEqual(models.map((m) => m.name).sort());
});

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`on ${backend}`, () => {
    for (const model of models) {
      for (const variant of variants[model.name] ?? []) {
        it(`trains ${model.name} (${variant.label}) for one epoch`, { timeout: 60_000 }, async () => {
          const { tf } = await selectBackend(backend);
          const ctx = { tf, seed: 3, configDir: dir, inputShape: variant.inputShape, numClasses: 3 };
          if (model.name === 'file') {
            const saved = await mlp.create({ hidden: [5], activation: 'relu', dropout: 0 }, ctx);
            await saveModel(saved, path.join(dir, 'saved'));
            saved.dispose();
          }
          const net = (await model.create(variant.options as never, ctx)) as LayersModel;
          net.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
          const x = tf.randomUniform([12, ...variant.inputShape], 0, 1, 'float32', 1);
          const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3).toFloat();
          const before = net.getWeights().map((w) => Array.from(w.dataSync()));
          const history = await net.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
          const after = net.getWeights().map((w) => Array.from(w.dataSync()));
          expect(Number.isFinite(history.history.loss[0] as number)).toBe(true);
          // Every trainable weight moved: each had a gradient.
          net.trainableWeights.forEach((_, i) => expect(after[i]).not.toEqual(before[i]));
          tf.dispose([x, y]);
          net.dispose();
        });
      }
    }
  });
}
