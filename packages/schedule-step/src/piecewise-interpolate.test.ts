/**
 * piecewise-interpolate against optax: the expected values of optax's own tests
 * (optax/schedules/_schedule_test.py: PiecewiseInterpolateTest; closed forms, so
 * 1e-12 relative) and the float64 ports in reference.ts at every step.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '@anneal/core';
import { assertPhases, coreBuilder, expectClose, issuePaths } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { optaxPiecewiseInterpolateSchedule } from './reference.ts';

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
