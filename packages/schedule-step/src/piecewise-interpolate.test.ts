/**
 * piecewise-interpolate against optax: the expected values of optax's own tests
 * (optax/schedules/_schedule_test.py: PiecewiseInterpolateTest, OneCycleTest; closed forms, so
 * 1e-12 relative) and the float64 ports in reference.ts at every step. The one-cycle specs are
 * the rows of docs/schedules.md's upstream table.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '@anneal/core';
import { assertPhases, coreBuilder, expectClose, issuePaths } from '@anneal/test-utils';
import { schedules } from './index.ts';
import {
  optaxCosineOnecycleSchedule,
  optaxLinearOnecycleSchedule,
  optaxPiecewiseInterpolateSchedule,
} from './reference.ts';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** The rates a spec gives through core, for base = init_value. */
function curve(base: number, spec: ScheduleSpec, n: number): number[] {
  const s = coreBuilder(schedules, { base, runTotal: n, stepsPerEpoch: 1 })(spec);
  assertPhases(s);
  return range(n).map((t) => s.at(t));
}

function expectCurve(actual: number[], expected: number[], label: string): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((want, t) => expectClose(actual[t], want, `${label} t=${t}`));
}

/** optax's boundaries_and_scales dict as anneal writes it: sorted boundaries, their scales. */
const interpolate = (interpolation: string, dict: Record<number, number> = {}): ScheduleSpec => {
  const sorted = Object.entries(dict)
    .map(([b, s]) => [Number(b), s] as const)
    .sort(([a], [b]) => a - b);
  return {
    name: 'piecewise-interpolate',
    interpolation,
    boundaries: sorted.map(([b]) => b),
    scales: sorted.map(([, s]) => s),
  };
};

/** The docs' row for optax linear_onecycle_schedule; base = peak_value / div_factor. */
const linearOnecycle = (T: number, pctStart = 0.3, pctFinal = 0.85, div = 25, finalDiv = 1e4): ScheduleSpec => ({
  name: 'piecewise-interpolate',
  interpolation: 'linear',
  boundaries: [Math.trunc(pctStart * T), Math.trunc(pctFinal * T), T],
  scales: [div, 1 / div, 1 / finalDiv],
});

/** The docs' row for optax cosine_onecycle_schedule; base = peak_value / div_factor. */
const cosineOnecycle = (T: number, pctStart = 0.3, div = 25, finalDiv = 1e4): ScheduleSpec => ({
  name: 'piecewise-interpolate',
  interpolation: 'cosine',
  boundaries: [Math.trunc(pctStart * T), T],
  scales: [div, 1 / (div * finalDiv)],
});

describe('optax piecewise_interpolate_schedule (PiecewiseInterpolateTest)', () => {
  it("test_linear_piecewise: ('linear', 200, {5: 1.5, 10: 0.25})", () => {
    const expected = [200, 220, 240, 260, 280, 300, 255, 210, 165, 120, 75, 75, 75];
    expectCurve(curve(200, interpolate('linear', { 5: 1.5, 10: 0.25 }), 13), expected, 'anneal');
    const port = optaxPiecewiseInterpolateSchedule('linear', 200, { 5: 1.5, 10: 0.25 });
    expectCurve(range(13).map(port), expected, 'port');
  });

  it("test_cos_piecewise: ('cosine', 400, {5: 1.2, 3: 0.6, 7: 1}), the dict unsorted", () => {
    const expected = [400, 360, 280, 240, 264, 288, 288, 288, 288];
    expectCurve(curve(400, interpolate('cosine', { 5: 1.2, 3: 0.6, 7: 1 }), 9), expected, 'anneal');
    const port = optaxPiecewiseInterpolateSchedule('cosine', 400, { 5: 1.2, 3: 0.6, 7: 1 });
    expectCurve(range(9).map(port), expected, 'port');
  });

  it("test_empty_dict and test_no_dict: ('linear', 13, {}) and ('cosine', 17) are constant", () => {
    expectCurve(curve(13, interpolate('linear', {}), 5), [13, 13, 13, 13, 13], 'empty dict');
    expectCurve(curve(17, { name: 'piecewise-interpolate', interpolation: 'cosine' }, 3), [17, 17, 17], 'no dict');
    expectCurve(range(3).map(optaxPiecewiseInterpolateSchedule('cosine', 17)), [17, 17, 17], 'port');
  });

  it('test_invalid_type and test_invalid_scale: validation errors at the option', () => {
    const build = coreBuilder(schedules);
    expect(issuePaths(() => build({ name: 'piecewise-interpolate', interpolation: 'linar' }))).toEqual([
      'schedule.interpolation',
    ]);
    expect(
      issuePaths(() => build({ name: 'piecewise-interpolate', interpolation: '', boundaries: [5], scales: [3] })),
    ).toEqual(['schedule.interpolation']);
    expect(issuePaths(() => build({ name: 'piecewise-interpolate' }))).toEqual(['schedule.interpolation']);
    expect(
      issuePaths(() =>
        build({ name: 'piecewise-interpolate', interpolation: 'linear', boundaries: [5], scales: [-3] }),
      ),
    ).toEqual(['schedule.scales.0']);
    expect(() => optaxPiecewiseInterpolateSchedule('linear', 13, { 5: -3 })).toThrow();
  });

  it('check: one scale per boundary, increasing boundaries', () => {
    const build = coreBuilder(schedules);
    expect(
      issuePaths(() =>
        build({ name: 'piecewise-interpolate', interpolation: 'linear', boundaries: [3, 6], scales: [1] }),
      ),
    ).toEqual(['schedule.scales']);
    expect(
      issuePaths(() =>
        build({ name: 'piecewise-interpolate', interpolation: 'cosine', boundaries: [3, 3], scales: [1, 2] }),
      ),
    ).toEqual(['schedule.boundaries.1']);
  });

  it.each<{ type: 'linear' | 'cosine'; base: number; dict: Record<number, number> }>([
    { type: 'linear' as const, base: 0.1, dict: { 0: 2, 4: 0.5, 9: 3, 20: 0.01 } },
    { type: 'cosine' as const, base: 0.1, dict: { 0: 2, 4: 0.5, 9: 3, 20: 0.01 } },
    { type: 'cosine' as const, base: 3e-4, dict: { 1: 10, 2: 0.1, 17: 0 } },
    { type: 'linear' as const, base: 1, dict: { 7: 1e-3 } },
  ])('equals the port of optax at every step: %o', ({ type, base, dict }) => {
    const port = optaxPiecewiseInterpolateSchedule(type, base, dict);
    expectCurve(curve(base, interpolate(type, dict), 30), range(30).map(port), type);
  });

  it('durations: boundaries may be written 3ep, 500st or a percentage of the run', () => {
    const s = coreBuilder(schedules, { base: 1, runTotal: 100, stepsPerEpoch: 10 })({
      name: 'piecewise-interpolate',
      interpolation: 'linear',
      boundaries: ['2ep', '50%'],
      scales: [3, 0.5],
    });
    expect(s.phases.map((p) => p.start)).toEqual([0, 20, 50]);
    expectClose(s.at(20), 3, 'at 2ep');
    expectClose(s.at(35), 2.25, 'halfway from 3 to 1.5');
    expectClose(s.at(99), 1.5, 'held');
  });
});

describe('optax linear_onecycle_schedule and cosine_onecycle_schedule (OneCycleTest), as piecewise-interpolate', () => {
  it('test_linear: (transition_steps 10, peak 1000, pct_start 0.3, pct_final 0.7, div 10, final_div 100)', () => {
    const expected = [100, 400, 700, 1000, 775, 550, 325, 100, 67, 34, 1, 1];
    expectCurve(curve(1000 / 10, linearOnecycle(10, 0.3, 0.7, 10, 100), 12), expected, 'anneal');
    expectCurve(range(12).map(optaxLinearOnecycleSchedule(10, 1000, 0.3, 0.7, 10, 100)), expected, 'port');
  });

  it('test_cosine: (transition_steps 5, peak 1000, pct_start 0.4, div 10, final_div 100)', () => {
    const expected = [100, 550, 1000, 750.25, 250.75, 1, 1];
    expectCurve(curve(1000 / 10, cosineOnecycle(5, 0.4, 10, 100), 7), expected, 'anneal');
    expectCurve(range(7).map(optaxCosineOnecycleSchedule(5, 1000, 0.4, 10, 100)), expected, 'port');
  });

  it('test_nonpositive_transition_steps: transition_steps 0 is a validation error (its boundaries do not increase)', () => {
    const build = coreBuilder(schedules);
    expect(issuePaths(() => build(cosineOnecycle(0)))).toEqual(['schedule.boundaries.1']);
    expect(issuePaths(() => build(linearOnecycle(0)))).toEqual(['schedule.boundaries.1']);
    expect(() => optaxCosineOnecycleSchedule(0, 5)).toThrow();
    expect(() => optaxLinearOnecycleSchedule(0, 5)).toThrow();
  });

  it.each([
    { T: 100, peak: 0.01 },
    { T: 37, peak: 3e-3 },
  ])('equals the ports with optax defaults at every step: %o', ({ T, peak }) => {
    expectCurve(
      curve(peak / 25, linearOnecycle(T), T + 5),
      range(T + 5).map(optaxLinearOnecycleSchedule(T, peak)),
      'linear',
    );
    expectCurve(
      curve(peak / 25, cosineOnecycle(T), T + 5),
      range(T + 5).map(optaxCosineOnecycleSchedule(T, peak)),
      'cosine',
    );
  });
});
