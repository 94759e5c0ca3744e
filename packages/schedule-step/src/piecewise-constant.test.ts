import { describe, expect, it } from 'vitest';
import { assertPhases, coreBuilder, expectClose, issuePaths, scheduleCtx } from '@anneal/test-utils';
import { piecewiseConstantSchedule } from './piecewise-constant.ts';
import { kerasPiecewiseConstantDecay } from './reference.ts';

const create = (boundaries: number[], values: number[]) =>
  piecewiseConstantSchedule.create({ boundaries, values }, scheduleCtx(0.1, 200));

describe('piecewise-constant: Keras PiecewiseConstantDecay (learning_rate_schedule_test.py)', () => {
  it('test_piecewise_values: boundaries [100, 110, 120], values [1, 0.1, 0.01, 0.001]', () => {
    const s = create([100, 110, 120], [1.0, 0.1, 0.01, 0.001]);
    for (const [x, want] of [
      [0, 1.0],
      [100, 1.0],
      [105, 0.1],
      [110, 0.1],
      [120, 0.01],
      [999, 0.001],
    ])
      expectClose(s.at(x), want, `x=${x}`);
  });

  it('test_boundary_values: boundaries [1, 2, 3], values [0.4, 0.5, 0.6, 0.7]: a boundary keeps the value before it', () => {
    const s = create([1, 2, 3], [0.4, 0.5, 0.6, 0.7]);
    expect([0, 1, 2, 3, 4].map((x) => s.at(x))).toEqual([0.4, 0.4, 0.5, 0.6, 0.7]);
    expect(s.phases.map((p) => p.start)).toEqual([0, 2, 3, 4]);
    assertPhases(s);
  });

  it.each([
    { boundaries: [5], values: [0.3, 0.03] },
    { boundaries: [0, 4, 9], values: [1, 2, 3, 4] },
    { boundaries: [10, 20], values: [1, 2, 3] },
  ])('equals the port of Keras PiecewiseConstantDecay at every step: %o', ({ boundaries, values }) => {
    const s = create(boundaries, values);
    for (let t = 0; t < 40; t++) expect(s.at(t), `t=${t}`).toBe(kerasPiecewiseConstantDecay(boundaries, values, t));
  });

  it('check: one value more than boundaries, and increasing boundaries', () => {
    const build = coreBuilder([piecewiseConstantSchedule]);
    expect(issuePaths(() => build({ name: 'piecewise-constant', boundaries: [3, 6], values: [1, 2] }))).toEqual([
      'schedule.values',
    ]);
    expect(issuePaths(() => build({ name: 'piecewise-constant', boundaries: [3, 3], values: [1, 2, 3] }))).toEqual([
      'schedule.boundaries.1',
    ]);
    expect(issuePaths(() => build({ name: 'piecewise-constant', boundaries: [3], values: [1, -2] }))).toEqual([
      'schedule.values.1',
    ]);
  });
});
