import { seededRandom } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { defaultWeights, gamma, parzenNumerical, proposeTpe, splitTrials, type TpeObservation } from './tpe.ts';

const obs = (x: number, value: number, state: TpeObservation['state'] = 'completed', epochs = 5): TpeObservation => ({
  point: { x },
  value,
  state,
  epochs,
});

describe("Optuna's TPE definitions", () => {
  it('gamma(n) = min(ceil(0.1 n), 25)', () => {
    expect([1, 10, 11, 100, 249, 251, 1000].map(gamma)).toEqual([1, 1, 2, 10, 25, 25, 25]);
  });

  it('default_weights: ones below 25, else linspace(1/n, 1, n − 25) then 25 ones', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    const linspace = Array.from({ length: 5 }, (_, i) => 1 / 30 + (i * (1 - 1 / 30)) / 4);
    w.slice(0, 5).forEach((v, i) => expect(v).toBeCloseTo(linspace[i], 15));
    expect(w.slice(5)).toEqual(Array(25).fill(1));
    expect(defaultWeights(26)).toEqual([1 / 26, ...Array(25).fill(1)]);
  });

  // Worked by hand from parzen_estimator.py: observations 1 and 3 on [0, 10], prior μ = 5.
  // Sorted with endpoints: 0 | 1 3 5 | 10 → neighbour widths max(1,2)=2, max(2,2)=2, max(2,5)=5;
  // the outermost take their inner gap (2 and 2); magic clip raises both to 10 / min(100, 1+2+1) = 2.5.
  it('bandwidths: neighbour distances, endpoints ignored, magic clip, prior σ = range', () => {
    expect(parzenNumerical([1, 3], 0, 10)).toEqual({ mus: [1, 3, 5], sigmas: [2.5, 2.5, 10] });
    const many = parzenNumerical([0.5, 9, 2, 4, 7, 8.5, 1, 6], 0, 10);
    // 0 | 0.5 1 2 4 5 6 7 8.5 9 | 10: widths 0.5→(inner gap) 0.5, 1, 2, 2, ·, 1, 1.5, 1.5, 9→(inner gap) 0.5;
    // min σ = 10 / min(100, 1+8+1) = 1 lifts the 0.5s. In the observations' order:
    expect(many.sigmas.slice(0, 8)).toEqual([1, 1, 2, 2, 1.5, 1.5, 1, 1]);
    expect(many.mus.at(-1)).toBe(5);
  });

  it('splits the best gamma(n) completed trials, then pruned ones by epochs reached', () => {
    const h = [
      ...Array.from({ length: 9 }, (_, i) => obs(i, i / 10)),
      obs(9, 0.99, 'pruned', 2),
      obs(10, 0.5, 'pruned', 4),
    ];
    const max = splitTrials(h, 'max'); // gamma(11) = 2: 0.8 and 0.7
    expect(max.below.map((o) => o.point.x)).toEqual([7, 8]);
    const min = splitTrials(h, 'min');
    expect(min.below.map((o) => o.point.x)).toEqual([0, 1]);
    const onlyPruned = splitTrials([obs(1, 0.2, 'pruned', 1), obs(2, 0.1, 'pruned', 3)], 'max');
    expect(onlyPruned.below.map((o) => o.point.x)).toEqual([2]);
  });
});

describe('proposeTpe', () => {
  const f = (x: number) => -((x - 3) ** 2);
  const run = (sampler: 'tpe' | 'random', seed: number, trials = 40) => {
    const u = seededRandom(seed);
    const history: TpeObservation[] = [];
    for (let i = 0; i < trials; i++) {
      const point = proposeTpe({ x: { min: 0, max: 10 } }, sampler === 'tpe' ? history : [], u, {
        goal: 'max',
        startupTrials: sampler === 'tpe' ? 10 : Number.POSITIVE_INFINITY,
      });
      history.push(obs(point.x as number, f(point.x as number)));
    }
    return history;
  };

  it('draws at random before startupTrials, reproducibly from the seed', () => {
    expect(run('tpe', 7, 12)).toEqual(run('tpe', 7, 12));
    expect(run('tpe', 7, 12)).not.toEqual(run('tpe', 8, 12));
    const early = run('tpe', 1, 10).map((h) => h.point.x);
    expect(early).toEqual(run('random', 1, 10).map((h) => h.point.x));
  });

  it('concentrates on the good region after start-up, unlike random search', () => {
    const distance = (h: TpeObservation[]) =>
      h.slice(20).reduce((a, o) => a + Math.abs((o.point.x as number) - 3), 0) / (h.length - 20);
    const seeds = [1, 2, 3, 4, 5];
    const tpe = seeds.map((s) => distance(run('tpe', s)));
    const rnd = seeds.map((s) => distance(run('random', s)));
    // uniform on [0, 10] is on average 2.9 from 3; TPE's later proposals sit much closer.
    expect(Math.max(...tpe)).toBeLessThan(Math.min(...rnd));
  });

  it('keeps log and integer ranges and picks categorical choices from the good side', () => {
    const u = seededRandom(3);
    const good = Array.from({ length: 12 }, (_, i) => ({
      point: { lr: 10 ** (-4 + (i % 3)), n: 2 + i, act: i < 3 ? 'relu' : 'tanh' },
      value: i < 3 ? 1 : 0,
      state: 'completed' as const,
      epochs: 3,
    }));
    const counts = { relu: 0, tanh: 0 };
    for (let i = 0; i < 30; i++) {
      const p = proposeTpe(
        { lr: { min: 1e-5, max: 1, log: true }, n: { min: 2, max: 20, int: true }, act: ['relu', 'tanh'] },
        good,
        u,
        { goal: 'max' },
      );
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(p.lr as number).toBeLessThanOrEqual(1);
      expect(Number.isInteger(p.n)).toBe(true);
      expect(p.n as number).toBeGreaterThanOrEqual(2);
      expect(p.n as number).toBeLessThanOrEqual(20);
      counts[p.act as 'relu' | 'tanh']++;
    }
    expect(counts.relu).toBeGreaterThan(counts.tanh);
  });
});
