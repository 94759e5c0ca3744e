/**
 * Learning-rate noise. timm draws it from torch's generator reseeded with noise_seed + t, which
 * cannot be matched bit for bit; so the structure (where noise applies, v + v·n) is held against
 * the port of timm's `_add_noise`, and the draws are held against timm's distributions
 * statistically: a truncated normal (resampled until |n| < pct) or a uniform on (−pct, pct).
 * Every seed below is fixed, so these tests give the same answer on every run.
 */
import { describe, expect, it } from 'vitest';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import { coreBuilder, expectClose, momentumCycler } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { noiseAt } from './noise.ts';
import { timmAddNoise } from './reference.ts';

const N = 20_000;
const build = coreBuilder([...schedules, ...stepSchedules], { base: 0.1, runTotal: N });

/** Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): ample for a KS bound of ~0.014. */
function erf(x: number): number {
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const phi = (x: number) => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));

/** Kolmogorov–Smirnov distance between a sample and a CDF. */
function ksDistance(sample: number[], cdf: (x: number) => number): number {
  const xs = [...sample].sort((a, b) => a - b);
  let d = 0;
  xs.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / xs.length), Math.abs((i + 1) / xs.length - f));
  });
  return d;
}
/** The 0.1% critical value of the KS distance for n draws. */
const ks999 = (n: number) => 1.95 / Math.sqrt(n);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

function draws(type: 'normal' | 'uniform', pct: number, std: number, seed: number): number[] {
  const n = noiseAt(type, pct, std, seed);
  return Array.from({ length: N }, (_, t) => n(t));
}

describe('noise draws follow timm’s distributions', () => {
  it.each([
    { pct: 0.67, std: 1, seed: 42 },
    { pct: 0.3, std: 1, seed: 7 },
    { pct: 0.5, std: 0.2, seed: 1234 },
  ])('normal, truncated at ±pct: bounds, mean, variance and KS distance: %o', ({ pct, std, seed }) => {
    const xs = draws('normal', pct, std, seed);
    for (const x of xs) expect(Math.abs(x)).toBeLessThan(pct);
    const a = pct / std;
    const mass = 2 * Phi(a) - 1;
    const wantVar = std ** 2 * (1 - (2 * a * phi(a)) / mass);
    const cdf = (x: number) => (Phi(x / std) - Phi(-a)) / mass;
    expect(Math.abs(mean(xs))).toBeLessThan(5 * Math.sqrt(wantVar / N));
    expect(Math.abs(variance(xs) / wantVar - 1)).toBeLessThan(0.05);
    expect(ksDistance(xs, cdf)).toBeLessThan(ks999(N));
  });

  it.each([
    { pct: 0.67, seed: 42 },
    { pct: 0.1, seed: 99 },
  ])('uniform on (−pct, pct): bounds, mean, variance and KS distance: %o', ({ pct, seed }) => {
    const xs = draws('uniform', pct, 1, seed);
    for (const x of xs) expect(Math.abs(x)).toBeLessThanOrEqual(pct);
    expect(Math.abs(mean(xs))).toBeLessThan(5 * Math.sqrt(pct ** 2 / 3 / N));
    expect(Math.abs(variance(xs) / (pct ** 2 / 3) - 1)).toBeLessThan(0.05);
    expect(ksDistance(xs, (x) => (x + pct) / (2 * pct))).toBeLessThan(ks999(N));
  });

  it('draws at neighbouring t are uncorrelated, and neighbouring seeds give unrelated draws', () => {
    const xs = draws('normal', 0.67, 1, 42);
    const m = mean(xs);
    let num = 0;
    for (let t = 1; t < N; t++) num += (xs[t] - m) * (xs[t - 1] - m);
    const lag1 = num / ((N - 1) * variance(xs));
    expect(Math.abs(lag1)).toBeLessThan(5 / Math.sqrt(N));
    const ys = draws('normal', 0.67, 1, 43);
    // Seed 43 at t equals seed 42 at t + 1 (timm's seed + t); the draws at the same t must differ.
    expect(ys.slice(0, -1)).toEqual(xs.slice(1));
    let cross = 0;
    for (let t = 0; t < N; t++) cross += (xs[t] - m) * (ys[t] - m);
    expect(Math.abs(cross / (N * variance(xs)))).toBeLessThan(5 / Math.sqrt(N));
  });
});

describe('noise on a schedule', () => {
  const spec = {
    name: 'noise',
    schedule: { name: 'step', stepSize: 10, gamma: 0.5 },
    noiseStart: 5,
    noiseEnd: 40,
    seed: 3,
  };

  it('is seeded: the same seed gives the same rates, another seed others', () => {
    const a = build(spec);
    const b = build(spec);
    const c = build({ ...spec, seed: 4 });
    for (let t = 0; t < 60; t++) expect(a.at(t)).toBe(b.at(t));
    expect(Array.from({ length: 35 }, (_, i) => a.at(i + 5))).not.toEqual(
      Array.from({ length: 35 }, (_, i) => c.at(i + 5)),
    );
  });

  it("applies v + v·n within [noiseStart, noiseEnd), as timm's _add_noise with a [start, end) range", () => {
    const s = build(spec);
    const clean = build(spec.schedule);
    const port = timmAddNoise((t) => clean.at(t), [5, 40], noiseAt('normal', 0.67, 1, 3));
    for (let t = 0; t < 60; t++) expectClose(s.at(t), port(t), `t=${t}`);
    for (const t of [0, 4, 40, 59]) expect(s.at(t)).toBe(clean.at(t));
    for (let t = 5; t < 40; t++) expect(s.at(t)).not.toBe(clean.at(t));
  });

  it('without noiseEnd, noise from noiseStart on (timm noise_range_t as a number)', () => {
    const s = build({ name: 'noise', schedule: { name: 'constant' }, noiseStart: 10, type: 'uniform', pct: 0.2 });
    const port = timmAddNoise(() => 0.1, 10, noiseAt('uniform', 0.2, 1, 42));
    for (let t = 0; t < 200; t++) expectClose(s.at(t), port(t), `t=${t}`);
    for (let t = 10; t < 200; t++) expect(Math.abs(s.at(t) / 0.1 - 1)).toBeLessThanOrEqual(0.2 + 1e-12);
  });

  it('keeps the phases of the schedule it perturbs', () => {
    expect(build(spec).phases).toEqual(build(spec.schedule).phases);
  });
});

describe('noise and cycle_momentum', () => {
  const withCycler = coreBuilder([...schedules, ...stepSchedules, momentumCycler], { base: 0.1, runTotal: 100 });

  it('passes the nested schedule’s momentum through unchanged (the noise is on the rate only)', () => {
    const s = withCycler({ name: 'noise', schedule: { name: 'momentum-cycler', cycleMomentum: true }, seed: 3 });
    for (let t = 0; t < 100; t++) expect(s.momentum!(t)).toBe(0.9 - t / 1000);
    expect(withCycler({ name: 'noise', schedule: { name: 'momentum-cycler' } }).momentum).toBeUndefined();
  });
});
