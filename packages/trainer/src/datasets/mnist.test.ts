import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { mnist } from './mnist.ts';

const { tf } = await selectBackend('cpu');
const ctx = (seed: number) => ({ tf, seed, configDir: '.' });
const options = { trainSize: 1000, testSize: 200, shape: 'flat', validationSplit: 0 } as const;

describe('mnist dataset', () => {
  it('rejects trainSize + testSize above 10,000 in check, naming the key', () => {
    const issues = mnist.check!({ ...options, trainSize: 9000, testSize: 2000 }, ctx(1));
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('trainSize');
    expect(issues[0].message).toMatch(/11000.*10000/);
    expect(mnist.check!({ ...options, trainSize: 8000, testSize: 2000 }, ctx(1))).toEqual([]);
  });

  it('counts training examples after the hold-out', () => {
    expect(mnist.count!(options)).toBe(1000);
    expect(mnist.count!({ ...options, validationSplit: 0.1 })).toBe(900);
  });

  it('uses the test set as validation by default; pixels in [0, 1], one-hot labels, roughly balanced', async () => {
    const ds = await mnist.create(options, ctx(1));
    expect(ds.train.x.shape).toEqual([1000, 784]);
    expect(ds.train.y.shape).toEqual([1000, 10]);
    expect(ds.val!.size).toBe(200);
    expect(ds.valSource).toBe('test');
    expect(ds.inputShape).toEqual([784]);
    expect(ds.numClasses).toBe(10);
    expect((await ds.train.x.min().data())[0]).toBeGreaterThanOrEqual(0);
    expect((await ds.train.x.max().data())[0]).toBeLessThanOrEqual(1);
    // Real digits have ink: the mean pixel of MNIST is about 0.13.
    expect((await ds.train.x.mean().data())[0]).toBeGreaterThan(0.05);
    const rowSums = await ds.train.y.sum(1).data();
    expect(Array.from(rowSums).every((s) => s === 1)).toBe(true);
    // 1,000 draws from ~1,000 per class: each class near 100.
    for (const count of await ds.train.y.sum(0).data()) {
      expect(count).toBeGreaterThan(60);
      expect(count).toBeLessThan(140);
    }
    ds.dispose();
  });

  it('never shares an image between train and test', async () => {
    const ds = await mnist.create(options, ctx(3));
    const key = async (x: import('@tensorflow/tfjs').Tensor) => {
      const rows = (await x.array()) as number[][];
      return new Set(rows.map((r) => r.join(',')));
    };
    const train = await key(ds.train.x);
    const test = await key(ds.val!.x);
    // MNIST has no exact duplicate images, so any overlap would be a split bug.
    for (const t of test) expect(train.has(t)).toBe(false);
    ds.dispose();
  });

  it('holds out from train with validationSplit, and gives image shape', async () => {
    const ds = await mnist.create({ ...options, shape: 'image', validationSplit: 0.25 }, ctx(1));
    expect(ds.train.x.shape).toEqual([750, 28, 28, 1]);
    expect(ds.val!.x.shape).toEqual([250, 28, 28, 1]);
    expect(ds.valSource).toBe('split');
    expect(ds.inputShape).toEqual([28, 28, 1]);
    ds.dispose();
  });

  it('splits identically for the same seed and differently for another', async () => {
    const small = { ...options, trainSize: 50, testSize: 10 };
    const a = await mnist.create(small, ctx(7));
    const b = await mnist.create(small, ctx(7));
    const c = await mnist.create(small, ctx(8));
    expect(await a.train.y.array()).toEqual(await b.train.y.array());
    expect(await a.train.x.sum(1).array()).toEqual(await b.train.x.sum(1).array());
    expect(await a.train.x.sum(1).array()).not.toEqual(await c.train.x.sum(1).array());
    for (const ds of [a, b, c]) ds.dispose();
  });
});
