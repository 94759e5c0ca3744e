import { describe, expect, it } from 'vitest';
import { pairedTest, summarize, welchTest } from './stats.ts';

// Reference values come from closed forms of Student's t distribution: with 1 degree of freedom
// it is the Cauchy distribution, F(t) = 1/2 + atan(t)/π; with 2, F(t) = 1/2 + t / (2√(2 + t²)).
const cauchyTwoSided = (t: number) => 1 - (2 * Math.atan(Math.abs(t))) / Math.PI;
const df2TwoSided = (t: number) => 1 - Math.abs(t) / Math.sqrt(2 + t * t);
const tQuantileDf1 = (p: number) => Math.tan(Math.PI * (p - 0.5));
const tQuantileDf2 = (p: number) => (2 * p - 1) / Math.sqrt(2 * p * (1 - p));

describe('summarize', () => {
  it('gives mean, sample std and the Student-t 95% interval', () => {
    const s = summarize([0.95, 0.97]);
    expect(s.mean).toBeCloseTo(0.96, 14);
    expect(s.std).toBeCloseTo(Math.SQRT2 * 0.01, 14);
    expect(s.ci95! / ((s.std! / Math.SQRT2) * tQuantileDf1(0.975))).toBeCloseTo(1, 6);
    const three = summarize([1, 2, 4]);
    const sd = Math.sqrt(((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2);
    expect(three.std).toBeCloseTo(sd, 14);
    expect(three.ci95! / ((sd / Math.sqrt(3)) * tQuantileDf2(0.975))).toBeCloseTo(1, 6);
  });

  it('has no spread estimate for a single value, and refuses none', () => {
    expect(summarize([0.5])).toEqual({ n: 1, mean: 0.5, std: null, ci95: null });
    expect(() => summarize([])).toThrow(RangeError);
  });
});

describe('pairedTest', () => {
  it('matches the closed forms at 1 and 2 degrees of freedom', () => {
    const one = pairedTest([0.9, 0.95], [0.88, 0.9]);
    // d = [0.02, 0.05]: mean 0.035, sd 0.03/√2, t = 0.035 / (sd/√2)
    const t1 = 0.035 / (0.03 / Math.SQRT2 / Math.SQRT2);
    expect(one.df).toBe(1);
    expect(one.t).toBeCloseTo(t1, 10);
    expect(one.p).toBeCloseTo(cauchyTwoSided(t1), 8);
    const two = pairedTest([1, 2, 3.5], [0.5, 1.2, 3.6]);
    const d = [0.5, 0.8, -0.1];
    const m = (0.5 + 0.8 - 0.1) / 3;
    const sd = Math.sqrt(d.reduce((a, x) => a + (x - m) ** 2, 0) / 2);
    const t2 = m / (sd / Math.sqrt(3));
    expect(two.df).toBe(2);
    expect(two.t).toBeCloseTo(t2, 10);
    expect(two.p).toBeCloseTo(df2TwoSided(t2), 8);
  });

  it('treats a constant non-zero difference as certain and no difference as none', () => {
    expect(pairedTest([1, 2, 3], [0, 1, 2]).p).toBe(0);
    expect(pairedTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
  });
});

describe('welchTest', () => {
  it("reproduces Wikipedia's worked example of Welch's t-test", () => {
    // https://en.wikipedia.org/wiki/Welch%27s_t-test, example 1: t = −2.46, ν ≈ 25.0, p = 0.021
    const a1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const a2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
    const r = welchTest(a1, a2);
    expect(r.t).toBeCloseTo(-2.46, 2);
    expect(r.df).toBeCloseTo(25.0, 1);
    expect(r.p).toBeCloseTo(0.021, 3);
  });

  it('uses the Welch–Satterthwaite degrees of freedom', () => {
    const a = [1, 2, 4];
    const b = [10, 10.5, 11, 12];
    const va = ((1 - 7 / 3) ** 2 + (2 - 7 / 3) ** 2 + (4 - 7 / 3) ** 2) / 2 / 3;
    const mb = 43.5 / 4;
    const vb = b.reduce((s, x) => s + (x - mb) ** 2, 0) / 3 / 4;
    const r = welchTest(a, b);
    expect(r.df).toBeCloseTo((va + vb) ** 2 / (va ** 2 / 2 + vb ** 2 / 3), 12);
    expect(r.t).toBeCloseTo((7 / 3 - mb) / Math.sqrt(va + vb), 12);
  });
});
