import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { iris } from './iris.ts';

const { tf } = await selectBackend('cpu');
const ctx = (seed: number) => ({ tf, seed, configDir: '.' });
const defaults = { validationSplit: 0.2, standardize: true };

describe('iris dataset', () => {
  it('counts 120 training examples at the default 20% hold-out, and matches create', async () => {
    expect(iris.count!(defaults)).toBe(120);
    expect(iris.count!({ ...defaults, validationSplit: 0 })).toBe(150);
    const ds = await iris.create(defaults, ctx(1));
    expect(ds.train.size).toBe(120);
    expect(ds.val!.size).toBe(30);
    expect(ds.valSource).toBe('split');
    expect(ds.train.x.shape).toEqual([120, 4]);
    expect(ds.val!.y.shape).toEqual([30, 3]);
    expect(ds.inputShape).toEqual([4]);
    expect(ds.numClasses).toBe(3);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    ds.dispose();
  });

  it('standardises with training statistics: train columns have mean 0, std 1', async () => {
    const ds = await iris.create(defaults, ctx(1));
    const { mean, variance } = tf.moments(ds.train.x, 0);
    for (const m of await mean.data()) expect(Math.abs(m)).toBeLessThan(1e-5);
    for (const v of await variance.data()) expect(v).toBeCloseTo(1, 4);
    tf.dispose([mean, variance]);
    ds.dispose();
  });

  it('keeps raw centimetres without standardize', async () => {
    const ds = await iris.create({ validationSplit: 0, standardize: false }, ctx(1));
    const x = (await ds.train.x.array()) as number[][];
    // Sepal length of every iris lies between 4.3 and 7.9 cm.
    expect(Math.min(...x.map((r) => r[0]))).toBeCloseTo(4.3, 5);
    expect(Math.max(...x.map((r) => r[0]))).toBeCloseTo(7.9, 5);
    // 50 of each species.
    expect(Array.from(await ds.train.y.sum(0).data())).toEqual([50, 50, 50]);
    expect(ds.val).toBeUndefined();
    ds.dispose();
  });

  it('labels are one-hot', async () => {
    const ds = await iris.create(defaults, ctx(2));
    const y = (await ds.train.y.array()) as number[][];
    for (const row of y) {
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(row.every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(ds.train.y.dtype).toBe('float32');
    ds.dispose();
  });

  it('splits the same way for the same seed and differently for another', async () => {
    const a = await iris.create(defaults, ctx(5));
    const b = await iris.create(defaults, ctx(5));
    const c = await iris.create(defaults, ctx(6));
    expect(await a.val!.x.array()).toEqual(await b.val!.x.array());
    expect(await a.val!.x.array()).not.toEqual(await c.val!.x.array());
    for (const ds of [a, b, c]) ds.dispose();
  });

  it('frees its tensors on dispose', async () => {
    const before = tf.memory().numTensors;
    const ds = await iris.create(defaults, ctx(1));
    expect(tf.memory().numTensors).toBe(before + 4);
    ds.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
