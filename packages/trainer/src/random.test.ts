import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, gaussian, shuffleInPlace } from './random.ts';

const draw = (seed: number, n = 20) => {
  const rng = createRng(seed);
  return Array.from({ length: n }, rng);
};

describe('createRng', () => {
  it('repeats the sequence for the same seed', () => {
    expect(draw(42)).toEqual(draw(42));
  });

  it('gives different sequences for different seeds, including seeds 2^32 apart', () => {
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(1)).not.toEqual(draw(1 + 2 ** 32));
    expect(draw(0)).not.toEqual(draw(-1));
  });

  it('draws uniformly from [0, 1)', () => {
    const xs = draw(7, 20_000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean).toBeCloseTo(0.5, 1);
    // Ten equal bins each hold about a tenth.
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const b of bins) expect(Math.abs(b - 2000)).toBeLessThan(200);
  });
});

describe('deriveSeed', () => {
  it('is a pure function of seed and label', () => {
    expect(deriveSeed(1, 'split')).toBe(deriveSeed(1, 'split'));
  });

  it('separates labels and seeds', () => {
    const seeds = new Set([
      deriveSeed(1, 'split'),
      deriveSeed(1, 'init'),
      deriveSeed(2, 'split'),
      deriveSeed(2, 'init'),
      deriveSeed(1, ''),
    ]);
    expect(seeds.size).toBe(5);
  });

  it('returns unsigned 32-bit integers', () => {
    for (const s of [0, 1, -5, 2 ** 40, 123.7]) {
      const d = deriveSeed(s, 'x');
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThan(2 ** 32);
    }
  });
});

describe('shuffleInPlace', () => {
  it('permutes, reproducibly per seed', () => {
    const base = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffleInPlace([...base], createRng(3));
    const b = shuffleInPlace([...base], createRng(3));
    const c = shuffleInPlace([...base], createRng(4));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(base);
    expect([...a].sort((x, y) => x - y)).toEqual(base);
  });

  it('works on typed arrays and returns the same object', () => {
    const arr = Int32Array.from({ length: 10 }, (_, i) => i);
    expect(shuffleInPlace(arr, createRng(1))).toBe(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('puts each element in each position about equally often', () => {
    const rng = createRng(9);
    const counts = [0, 0, 0, 0];
    for (let t = 0; t < 8000; t++) counts[shuffleInPlace([0, 1, 2, 3], rng).indexOf(0)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
  });
});

describe('gaussian', () => {
  it('has mean 0 and variance 1', () => {
    const rng = createRng(11);
    const xs = Array.from({ length: 20_000 }, () => gaussian(rng));
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });
});
