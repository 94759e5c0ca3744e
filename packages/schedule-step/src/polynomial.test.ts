import { describe, expect, it } from 'vitest';
import { polynomialSchedule } from './polynomial.ts';
import {
  create,
  assertPhases,
  coreBuilder,
  expectClose,
  issuePaths,
  probeTimes,
  scheduleCtx,
} from '@anneal/test-utils';
import { kerasPolynomialDecay, torchPolynomialLR } from './reference.ts';

/** timm's cycle options at their defaults (one plain decay), as the schema fills them in. */
const timmDefaults = { kDecay: 1, periodMultiplier: 1, decay: 1, cycleLimit: 1 };

describe('polynomial', () => {
  it.each([
    { base: 0.1, total: 10, power: 1 },
    { base: 0.5, total: 7, power: 2 },
    { base: 0.01, total: 20, power: 0.5 },
  ])('matches PyTorch PolynomialLR with epsilon 0: %o', ({ base, total, power }) => {
    const s = create(polynomialSchedule, { power, epsilon: 0 }, scheduleCtx(base, total));
    const times = probeTimes([total], total);
    const ref = torchPolynomialLR(base, total, power, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
    assertPhases(s);
  });

  it.each([
    { base: 0.1, total: 12, power: 1, epsilon: 1e-3, runTotal: 20 },
    { base: 0.2, total: 5, power: 3, epsilon: 0.05, runTotal: 5 },
    { base: 0.3, total: 9, power: 0.7, epsilon: 0.3, runTotal: 9 },
  ])('matches Keras PolynomialDecay with an end rate: %o', ({ base, total, power, epsilon, runTotal }) => {
    const s = create(polynomialSchedule, { total, power, epsilon }, scheduleCtx(base, runTotal));
    for (const t of probeTimes([total], runTotal))
      expectClose(s.at(t), kerasPolynomialDecay(base, total, epsilon, power, t), `t=${t}`);
  });

  it('is continuous at total, where it reaches epsilon, and bounded by [epsilon, base]', () => {
    const s = create(polynomialSchedule, { total: 30, power: 2, epsilon: 0.002 }, scheduleCtx(0.1, 30));
    expect(s.at(0)).toBe(0.1);
    expectClose(s.at(30), 0.002, 't=T');
    expect(Math.abs(s.at(29) - s.at(30))).toBeLessThan(1e-3);
    for (let t = 0; t < 60; t++) {
      expect(s.at(t)).toBeGreaterThanOrEqual(0.002);
      expect(s.at(t)).toBeLessThanOrEqual(0.1);
    }
  });

  it('defaults total to the run length', () => {
    const s = create(polynomialSchedule, { power: 1, epsilon: 0 }, scheduleCtx(1, 4));
    expectClose(s.at(1), 0.75, 't=1');
    expect(s.phases.at(-1)).toEqual({ name: 'floor', start: 4 });
  });

  it('check rejects epsilon above the base rate', () => {
    const issues = polynomialSchedule.check!(
      { power: 1, epsilon: 0.2, cycle: false, ...timmDefaults },
      scheduleCtx(0.1, 10),
    );
    expect(issues.map((i) => i.path)).toEqual(['epsilon']);
    expect(
      polynomialSchedule.check!({ power: 1, epsilon: 0.1, cycle: false, ...timmDefaults }, scheduleCtx(0.1, 10)),
    ).toEqual([]);
  });
});

describe('polynomial with cycle: Keras PolynomialDecay(cycle=True) (learning_rate_schedule_test.py)', () => {
  it('LinearDecayTest.test_beyond_end_with_cycle: (0.05, 10, 0.001) at step 15', () => {
    const s = create(polynomialSchedule, { total: 10, epsilon: 0.001, cycle: true }, scheduleCtx(0.05, 10));
    expectClose(s.at(15), (0.05 - 0.001) * 0.25 + 0.001, 'step 15');
  });

  it('SqrtDecayTest.test_beyond_end_with_cycle: power 0.5 at step 15', () => {
    const s = create(polynomialSchedule, { total: 10, epsilon: 0.001, power: 0.5, cycle: true }, scheduleCtx(0.05, 10));
    expectClose(s.at(15), (0.05 - 0.001) * 0.25 ** 0.5 + 0.001, 'step 15');
  });

  it('SqrtDecayTest.test_begin_with_cycle: the initial rate at step 0', () => {
    const s = create(polynomialSchedule, { total: 10, cycle: true }, scheduleCtx(0.001, 10));
    expectClose(s.at(0), 0.001, 'step 0');
  });

  it.each([
    { base: 0.05, total: 10, epsilon: 0.001, power: 1 },
    { base: 0.1, total: 7, epsilon: 0, power: 2 },
    { base: 0.3, total: 3, epsilon: 0.05, power: 0.5 },
  ])('equals the port of Keras PolynomialDecay(cycle=True) at every step: %o', ({ base, total, epsilon, power }) => {
    const s = create(polynomialSchedule, { total, epsilon, power, cycle: true }, scheduleCtx(base, 5 * total));
    for (let t = 0; t <= 8 * total; t++)
      expectClose(s.at(t), kerasPolynomialDecay(base, total, epsilon, power, t, true), `t=${t}`);
    expect(s.phases.map((p) => p.start)).toEqual([0, total + 1, 2 * total + 1, 3 * total + 1, 4 * total + 1]);
  });

  it('timm cycles: the defaults keep the single decay; Keras cycle and timm restarts exclude each other', () => {
    const plain = create(polynomialSchedule, { total: 10, power: 0.5, epsilon: 0.001 }, scheduleCtx(0.1, 30));
    const timm = create(
      polynomialSchedule,
      { total: 10, power: 0.5, epsilon: 0.001, kDecay: 1, cycleLimit: 1 },
      scheduleCtx(0.1, 30),
    );
    for (let t = 0; t < 30; t++) expect(timm.at(t), `t=${t}`).toBe(plain.at(t));
    const restarts = create(
      polynomialSchedule,
      { total: 5, power: 1, periodMultiplier: 2, decay: 0.5, cycleLimit: 2 },
      scheduleCtx(0.1, 30),
    );
    expect(restarts.phases.map((p) => [p.name, p.start])).toEqual([
      ['cycle 1', 0],
      ['cycle 2', 5],
      ['floor', 15],
    ]);
    expectClose(restarts.at(5), 0.05, 'second cycle starts at base·decay');
    expectClose(restarts.at(10), 0.025, 'halfway down the second cycle');
    expect(restarts.at(15)).toBe(0);
    const build = coreBuilder([polynomialSchedule]);
    expect(issuePaths(() => build({ name: 'polynomial', cycle: true, cycleLimit: 3 }))).toEqual(['schedule.cycle']);
  });
});
