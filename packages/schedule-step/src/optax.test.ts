/**
 * optax's constant, polynomial/linear and piecewise-constant schedules as anneal writes them:
 * the expected values of optax's own tests (optax/schedules/_schedule_test.py: ConstantTest,
 * PolynomialTest, PiecewiseConstantTest; closed forms, so 1e-12) and the ports in reference.ts
 * at every step. Each `schedule:` here is the row of docs/schedules.md's upstream table.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '@anneal/core';
import { coreBuilder, expectClose } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { optaxPiecewiseConstantSchedule, optaxPolynomialSchedule } from './reference.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The rates a spec gives through core, for base = init_value (optax has no separate base). */
function curve(base: number, spec: ScheduleSpec, n: number): number[] {
  const s = coreBuilder(schedules, { base, runTotal: n, stepsPerEpoch: 1 })(spec);
  return range(n).map((t) => s.at(t));
}

function expectCurve(actual: number[], expected: number[], label: string): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((want, t) => expectClose(actual[t], want, `${label} t=${t}`));
}

/**
 * optax polynomial_schedule(init, end, power, transition_steps, transition_begin) — and
 * linear_schedule, its power 1 — decaying (end ≤ init): `polynomial` with epsilon = end, base =
 * init; a transition_begin B is a `constant` part of length B before it.
 */
const polynomial = (end: number, power: number, steps: number, begin = 0): ScheduleSpec => {
  const decay = { name: 'polynomial', total: steps, power, epsilon: end };
  return begin > 0
    ? { name: 'sequence', parts: [{ schedule: { name: 'constant' }, length: begin }, { schedule: decay }] }
    : decay;
};

describe('optax constant_schedule (ConstantTest)', () => {
  it('test_constant: constant_schedule(10) for 15 steps is `constant`', () => {
    expectCurve(
      curve(10, { name: 'constant' }, 15),
      range(15).map(() => 10),
      'constant',
    );
  });
});

describe('optax polynomial_schedule and linear_schedule (PolynomialTest)', () => {
  it('test_linear: (10 → 20, power 1, 10 steps), a rising ramp, is `linear` with base = end_value', () => {
    // A rate rising to its end is `linear` from startFactor = init/end: `polynomial` only decays.
    const spec = { name: 'linear', startFactor: 0.5, endFactor: 1, total: 10 };
    expectCurve(curve(20, spec, 15), [...range(10).map((n) => 10 + n), ...range(5).map(() => 20)], 'test_linear');
  });

  it('test_nonlinear: (25 → 10, power 2, 10 steps)', () => {
    const expected = [...range(10).map((n) => 10 + 15 * (1 - n / 10) ** 2), ...range(5).map(() => 10)];
    expectCurve(curve(25, polynomial(10, 2, 10), 15), expected, 'test_nonlinear');
  });

  it('test_with_decay_begin: (30 → 10, power 2, 10 steps, transition_begin 4)', () => {
    const expected = [
      ...range(4).map(() => 30),
      ...range(10).map((n) => 10 + 20 * (1 - n / 10) ** 2),
      ...range(6).map(() => 10),
    ];
    expectCurve(curve(30, polynomial(10, 2, 10, 4), 20), expected, 'test_with_decay_begin');
  });

  it.each([
    { init: 1, end: 0.01, power: 2, steps: 100, begin: 5 },
    { init: 0.3, end: 0, power: 1, steps: 37, begin: 0 },
    { init: 0.05, end: 1e-4, power: 0.5, steps: 20, begin: 11 },
  ])('equals the port at every step: %o', ({ init, end, power, steps, begin }) => {
    const port = optaxPolynomialSchedule(init, end, power, steps, begin);
    const n = begin + steps + 10;
    expectCurve(curve(init, polynomial(end, power, steps, begin), n), range(n).map(port), 'port');
  });

  it("the port keeps optax's docstring values and its degenerate options (test_zero_steps_schedule)", () => {
    const doc = optaxPolynomialSchedule(1, 0.01, 2, 100, 5);
    expect([0, 5, 6, 104, 105, 110].map((t) => doc(t).toFixed(4))).toEqual([
      '1.0000',
      '1.0000',
      '0.9803',
      '0.0101',
      '0.0100',
      '0.0100',
    ]);
    // transition_steps ≤ 0 is the constant init_value; anneal's `total` must be ≥ 1 (write `constant`).
    for (const steps of [-1, 0])
      for (const t of range(15)) expect(optaxPolynomialSchedule(10, 20, 1, steps)(t)).toBe(10);
  });
});

describe('optax piecewise_constant_schedule (PiecewiseConstantTest)', () => {
  /** Each `{boundary: scale}` a `multistep` part with that one milestone and gamma = scale: optax multiplies from t ≥ boundary, as MultiStepLR does. */
  const piecewise = (scales: Record<number, number>): ScheduleSpec => ({
    name: 'product',
    parts: Object.entries(scales).map(([b, gamma]) => ({ name: 'multistep', milestones: [Number(b)], gamma })),
  });

  it('test_positive: piecewise_constant_schedule(0.1, {3: 2, 6: 0.5})', () => {
    expectCurve(
      curve(0.1, piecewise({ 3: 2, 6: 0.5 }), 10),
      [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1],
      'test_positive',
    );
  });

  it('test_negative is a negative rate, which anneal does not accept; the port gives optax’s values', () => {
    const port = optaxPiecewiseConstantSchedule(-0.1, { 3: 2, 6: 0.5 });
    expectCurve(
      range(10).map(port),
      [0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1].map((v) => -v),
      'test_negative',
    );
  });

  it.each<{ init: number; scales: Record<number, number> }>([
    { init: 1, scales: { 100: 0.1, 200: 0.01 } },
    { init: 0.05, scales: { 7: 0.5, 3: 3, 20: 0.1 } },
    { init: 0.2, scales: { 4: 0.5, 9: 0.5, 15: 0.2 } },
  ])('equals the port at every step: %o', ({ init, scales }) => {
    const port = optaxPiecewiseConstantSchedule(init, scales);
    expectCurve(curve(init, piecewise(scales), 260), range(260).map(port), 'port');
  });

  it('equals Keras-convention piecewise-constant with every boundary one earlier and the products as values', () => {
    // optax switches at t = boundary, Keras (and `piecewise-constant`) after it: boundaries − 1.
    const spec = { name: 'piecewise-constant', boundaries: [2, 5], values: [0.1, 0.1 * 2, 0.1 * 2 * 0.5] };
    expectCurve(
      curve(0.1, spec, 10),
      range(10).map(optaxPiecewiseConstantSchedule(0.1, { 3: 2, 6: 0.5 })),
      'keras form',
    );
  });
});
