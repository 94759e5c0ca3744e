import { describe, expect, it } from 'vitest';
import { selectBackend } from '../backend.ts';
import { synthetic } from './synthetic.ts';

const { tf } = await selectBackend('cpu');
const ctx = (seed: number) => ({ tf, seed, configDir: '.' });
const spirals = { kind: 'spirals', samples: 300, classes: 3, noise: 0.1, validationSplit: 0.2 } as const;

async function allPoints(ds: Awaited<ReturnType<typeof synthetic.create>>) {
  const x = [...((await ds.train.x.array()) as number[][]), ...((await ds.val!.x.array()) as number[][])];
  const y = [
    ...((await ds.train.y.argMax(1).array()) as number[]),
    ...((await ds.val!.y.argMax(1).array()) as number[]),
  ];
  return { x, y };
}

describe('synthetic dataset', () => {
  it('makes the requested number of 2-D examples, split and balanced', async () => {
    expect(synthetic.count!(spirals)).toBe(240);
    const ds = await synthetic.create(spirals, ctx(1));
    expect(ds.train.x.shape).toEqual([240, 2]);
    expect(ds.val!.x.shape).toEqual([60, 2]);
    expect(ds.inputShape).toEqual([2]);
    expect(ds.numClasses).toBe(3);
    const { y } = await allPoints(ds);
    for (let c = 0; c < 3; c++) expect(y.filter((v) => v === c)).toHaveLength(100);
    ds.dispose();
  });

  it('puts spiral points within radius 1 plus a few noise standard deviations', async () => {
    const ds = await synthetic.create(spirals, ctx(2));
    const { x } = await allPoints(ds);
    for (const [a, b] of x) expect(Math.hypot(a, b)).toBeLessThan(1 + 5 * 0.1);
    ds.dispose();
  });

  it('without noise, blobs sit exactly on their centres on the unit circle', async () => {
    const ds = await synthetic.create(
      { kind: 'blobs', samples: 40, classes: 4, noise: 0, validationSplit: 0.25 },
      ctx(3),
    );
    const { x, y } = await allPoints(ds);
    const centres = [
      [1, 0],
      [0, 1],
      [-1, 0],
      [0, -1],
    ];
    x.forEach(([a, b], i) => {
      expect(a).toBeCloseTo(centres[y[i]][0], 5);
      expect(b).toBeCloseTo(centres[y[i]][1], 5);
    });
    ds.dispose();
  });

  it('blob clusters have the requested spread', async () => {
    const ds = await synthetic.create(
      { kind: 'blobs', samples: 2000, classes: 2, noise: 0.3, validationSplit: 0 },
      ctx(4),
    );
    const x = (await ds.train.x.array()) as number[][];
    const y = (await ds.train.y.argMax(1).array()) as number[];
    const xs = x.filter((_, i) => y[i] === 0).map((p) => p[0]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(std).toBeGreaterThan(0.27);
    expect(std).toBeLessThan(0.33);
    ds.dispose();
  });

  it('is reproducible per seed and differs across seeds', async () => {
    const a = await synthetic.create(spirals, ctx(9));
    const b = await synthetic.create(spirals, ctx(9));
    const c = await synthetic.create(spirals, ctx(10));
    expect(await a.train.x.array()).toEqual(await b.train.x.array());
    expect(await a.train.x.array()).not.toEqual(await c.train.x.array());
    for (const ds of [a, b, c]) ds.dispose();
  });
});
