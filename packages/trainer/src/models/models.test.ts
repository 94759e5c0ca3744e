import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LayersModel, Tensor } from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { saveModel } from '../model-io.ts';
import { cnn } from './cnn.ts';
import { fileModel } from './file.ts';
import { mlp } from './mlp.ts';

const { tf } = await selectBackend('cpu');
const dir = mkdtempSync(path.join(tmpdir(), 'anneal-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ctx = (seed: number, inputShape: number[], numClasses = 3) => ({
  tf,
  seed,
  configDir: dir,
  inputShape,
  numClasses,
});
const mlpDefaults = { hidden: [8], activation: 'relu' as const, dropout: 0 };
const cnnDefaults = { filters: [4, 8], kernelSize: 3, dense: 16, dropout: 0.25 };
const weightsOf = (m: LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

describe('mlp', () => {
  it('maps inputs to class probabilities, uncompiled', async () => {
    const model = await mlp.create({ ...mlpDefaults, hidden: [8, 6] }, ctx(1, [4]));
    expect(model.outputs[0].shape).toEqual([null, 3]);
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense', 'Dense']);
    expect(model.optimizer).toBeUndefined();
    const p = model.predict(tf.ones([2, 4])) as Tensor;
    for (const s of await p.sum(1).data()) expect(s).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('flattens image input and adds dropout when asked', async () => {
    const model = await mlp.create({ ...mlpDefaults, dropout: 0.5 }, ctx(1, [28, 28, 1], 10));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['Flatten', 'Dense', 'Dropout', 'Dense']);
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    model.dispose();
  });

  it('is softmax regression with hidden: []', async () => {
    const model = await mlp.create({ ...mlpDefaults, hidden: [] }, ctx(1, [4]));
    expect(model.layers).toHaveLength(1);
    expect(model.countParams()).toBe(4 * 3 + 3);
    model.dispose();
  });

  it('initialises identically for the same seed and differently for another', async () => {
    const [a, b, c] = await Promise.all([1, 1, 2].map((s) => mlp.create(mlpDefaults, ctx(s, [4]))));
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    // Layers draw from separate streams, so two same-shaped kernels differ.
    const twin = await mlp.create({ ...mlpDefaults, hidden: [4, 4] }, ctx(1, [4]));
    expect(weightsOf(twin)[2]).not.toEqual(weightsOf(twin)[0]);
    for (const m of [a, b, c, twin]) m.dispose();
  });
});

describe('seeded dropout', () => {
  async function trainedWeights(seed: number) {
    const model = await mlp.create({ hidden: [16], activation: 'relu', dropout: 0.5 }, ctx(seed, [4], 2));
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d([
      [1, 2, 3, 4],
      [4, 3, 2, 1],
      [0, 1, 0, 1],
      [1, 0, 1, 0],
    ]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2).toFloat();
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    const w = weightsOf(model);
    tf.dispose([x, y]);
    model.dispose();
    return w;
  }

  it('makes training reproducible from the seed', async () => {
    expect(await trainedWeights(5)).toEqual(await trainedWeights(5));
    expect(await trainedWeights(5)).not.toEqual(await trainedWeights(6));
  });

  it('draws a new mask at each training call, not the same one every batch', async () => {
    const model = await mlp.create({ hidden: [64], activation: 'relu', dropout: 0.5 }, ctx(1, [4], 2));
    const dropout = model.layers[1];
    const ones = tf.ones([1, 200]);
    const masks = [0, 1].map(() =>
      Array.from((dropout.apply(ones, { training: true }) as Tensor).dataSync()).map((v) => v !== 0),
    );
    expect(masks[0]).not.toEqual(masks[1]);
    // About half of the units are kept each time.
    for (const m of masks) expect(m.filter(Boolean).length).toBeGreaterThan(70);
    for (const m of masks) expect(m.filter(Boolean).length).toBeLessThan(130);
    // At inference it is the identity.
    expect(Array.from((dropout.apply(ones) as Tensor).dataSync()).every((v) => v === 1)).toBe(true);
    model.dispose();
  });
});

describe('cnn', () => {
  it('classifies 28×28×1 images', async () => {
    const model = await cnn.create(cnnDefaults, ctx(1, [28, 28, 1], 10));
    expect(model.outputs[0].shape).toEqual([null, 10]);
    const names = model.layers.map((l) => l.getClassName());
    expect(names).toEqual(['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dropout', 'Dense']);
    const p = model.predict(tf.zeros([2, 28, 28, 1])) as Tensor;
    expect(p.shape).toEqual([2, 10]);
    model.dispose();
  });

  it('refuses flat input and says to use data.shape: image', async () => {
    await expect(cnn.create(cnnDefaults, ctx(1, [784], 10))).rejects.toThrow(/data\.shape: image/);
  });

  it('refuses more conv blocks than the image can be halved', async () => {
    await expect(cnn.create({ ...cnnDefaults, filters: [2, 2, 2, 2, 2, 2] }, ctx(1, [28, 28, 1], 10))).rejects.toThrow(
      /at most 4 entries/,
    );
  });

  it('initialises reproducibly from the seed', async () => {
    const [a, b] = await Promise.all([1, 1].map((s) => cnn.create(cnnDefaults, ctx(s, [28, 28, 1], 10))));
    expect(weightsOf(a)).toEqual(weightsOf(b));
    a.dispose();
    b.dispose();
  });
});

describe('file model', () => {
  it('loads a saved model relative to the config directory', async () => {
    const original = await mlp.create(mlpDefaults, ctx(3, [4]));
    await saveModel(original, path.join(dir, 'saved'));
    const loaded = await fileModel.create({ path: 'saved/model.json' }, ctx(99, [4]));
    expect(weightsOf(loaded)).toEqual(weightsOf(original));
    original.dispose();
    loaded.dispose();
  });

  it('rejects a model whose shapes do not fit the data', async () => {
    await expect(fileModel.create({ path: 'saved/model.json' }, ctx(1, [5]))).rejects.toThrow(
      /takes input \[4\] and gives \[3\], but the data have input \[5\] and 3 classes/,
    );
    await expect(fileModel.create({ path: 'saved/model.json' }, ctx(1, [4], 10))).rejects.toThrow(/10 classes/);
  });

  it('names the missing file', async () => {
    await expect(fileModel.create({ path: 'missing/model.json' }, ctx(1, [4]))).rejects.toThrow(
      path.join(dir, 'missing', 'model.json'),
    );
  });
});
