import { seededRandom } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import {
  defaultWeights,
  gamma,
  parzenEstimator,
  parzenNumerical,
  proposeTpe,
  sampleRandom,
  splitTrials,
  type TpeObservation,
} from './tpe.ts';

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

// Reference values printed by packages/sweep/reference/tpe_reference.py: Optuna's definitions
// (parzen_estimator.py, sampler.py) written out in numpy, with scipy's truncnorm for the kernels.
describe("densities and proposals against Optuna's definitions (scipy reference)", () => {
  const close = (actual: number, expected: number) => expect(actual).toBeCloseTo(expected, 9);

  it('a float range: l(x) and g(x) as mixtures of truncated normals with the prior', () => {
    expect(parzenNumerical([6, 8, 9], 0, 10)).toEqual({ mus: [6, 8, 9, 5], sigmas: [2, 2, 2, 10] });
    const l = parzenEstimator({ min: 0, max: 10 }, [1, 3], 1);
    const g = parzenEstimator({ min: 0, max: 10 }, [6, 8, 9], 1);
    close(l.logPdf(2), -1.809208497807922);
    close(l.logPdf(7), -2.8939380154005274);
    close(g.logPdf(2), -3.4224797913397307);
    close(g.logPdf(7), -1.7916997288953815);
  });

  it('a log range: kernels in log space, the density taken at log(x)', () => {
    const l = parzenEstimator({ min: 1e-4, max: 1, log: true }, [1e-3], 1);
    close(l.logPdf(1e-3), -1.9648431125604027);
    close(l.logPdf(0.1), -2.4945941126658924);
  });

  it('an int range: each integer gets its kernel mass on [x − ½, x + ½]', () => {
    expect(parzenNumerical([2, 4], 0.5, 5.5).sigmas).toEqual([1.25, 1.25, 5]);
    const l = parzenEstimator({ min: 1, max: 5, int: true }, [2, 4], 1);
    close(l.logPdf(1), -1.8429113391111636);
    close(l.logPdf(3), -1.4157569750924122);
    close(l.logPdf(5), -1.8429113391111633);
  });

  it('a log int range: continuous on [log(min − ½), log(max + ½)], as Optuna does it', () => {
    const l = parzenEstimator({ min: 1, max: 100, log: true, int: true }, [10], 1);
    close(l.logPdf(10), -1.4724147430686634);
    close(l.logPdf(50), -1.722789623119328);
  });

  it('a categorical choice: one count per observation plus the prior spread over the choices', () => {
    const choices = ['a', 'b', 'c'];
    const l = parzenEstimator(choices, ['a', 'a', 'c'], 1);
    const g = parzenEstimator(choices, ['b'], 1);
    [-0.7419373447293772, -1.6582280766035324, -1.0986122886681096].forEach((v, c) => close(l.logPdf(c), v));
    [-1.3217558399823195, -0.7621400520468967, -1.3217558399823195].forEach((v, c) => close(g.logPdf(c), v));
  });

  it('a whole proposal: split by gamma, candidates drawn from l, the best log l − log g wins', () => {
    const xs = [0.5, 9.0, 2.0, 4.0, 7.0, 8.5, 1.0, 6.0, 3.5, 5.0, 2.5];
    const history = xs.map((x) => obs(x, (x - 3) ** 2));
    expect(splitTrials(history, 'min').below.map((o) => o.point.x)).toEqual([3.5, 2.5]);
    const us = [0.1, 0.3, 0.5, 0.9, 0.7, 0.2, 0.95, 0.6];
    let i = 0;
    const point = proposeTpe({ x: { min: 0, max: 10 } }, history, () => us[i++], { goal: 'min', candidates: 4 });
    expect(i).toBe(8);
    // Candidates 2.5712, 5.9249, 2.0795, 5.9613 score 0.775, −0.234, 0.507, −0.241.
    close(point.x as number, 2.571241453277516);
  });

  it("draws start-up points as Optuna's RandomSampler: every integer of a range equally likely", () => {
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 400; k++)
      counts[(sampleRandom({ min: 1, max: 4, int: true }, () => (k + 0.5) / 400) as number) - 1]++;
    expect(counts).toEqual([100, 100, 100, 100]);
    const logs = Array.from(
      { length: 3 },
      (_, k) => sampleRandom({ min: 1e-4, max: 1, log: true }, () => k / 2) as number,
    );
    logs.forEach((v, k) => expect(v).toBeCloseTo([1e-4, 1e-2, 1][k], 12));
  });
});
