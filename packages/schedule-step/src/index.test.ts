import { describe, expect, it } from 'vitest';
import * as entry from './index.ts';
import { coreBuilder, expectClose, expectDocumentedSchema, issuePaths } from '@anneal/test-utils';

// 10 steps an epoch, 100 steps in the run.
const build = coreBuilder(entry.schedules);

describe('@anneal/schedule-step', () => {
  it('exports every plugin by name and in `schedules`', () => {
    expect(entry.schedules.map((p) => p.name)).toEqual([
      'constant',
      'step',
      'multistep',
      'exponential',
      'polynomial',
      'linear',
      'sequence',
      'product',
      'inverse-time',
      'piecewise-constant',
      'piecewise-interpolate',
    ]);
    expect(new Set(entry.schedules)).toEqual(
      new Set([
        entry.constantSchedule,
        entry.stepSchedule,
        entry.multistepSchedule,
        entry.exponentialSchedule,
        entry.polynomialSchedule,
        entry.linearSchedule,
        entry.sequenceSchedule,
        entry.productSchedule,
        entry.inverseTimeSchedule,
        entry.piecewiseConstantSchedule,
        entry.piecewiseInterpolateSchedule,
      ]),
    );
    for (const plugin of entry.schedules) expectDocumentedSchema(plugin);
  });

  it('builds through core with durations and schema defaults', () => {
    expectClose(build({ name: 'constant' }).at(50), 0.1, 'constant');
    expectClose(build({ name: 'step', stepSize: '1ep' }).at(10), 0.01, 'step: default gamma 0.1 after 1 epoch');
    expectClose(build({ name: 'multistep', milestones: [5, 5] }).at(5), 0.001, 'multistep');
    expectClose(build({ name: 'exponential', gamma: 0.5 }).at(2), 0.025, 'exponential');
    expectClose(build({ name: 'polynomial' }).at(50), 0.05, 'polynomial: linear to 0 over the run');
    expectClose(build({ name: 'linear', total: '50%' }).at(0), 0.1 / 3, 'linear: PyTorch default start 1/3');
    expectClose(build({ name: 'linear', total: '50%' }).at(50), 0.1, 'linear: total as a percentage');
  });

  it('rejects bad options with paths under `schedule`', () => {
    expect(issuePaths(() => build({ name: 'step' }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'step', stepSize: 0 }))).not.toEqual([]);
    expect(
      issuePaths(() => build({ name: 'step', stepSize: 3, warmup: 2 })).every((p) => p.startsWith('schedule')),
    ).toBe(true);
    expect(issuePaths(() => build({ name: 'step', stepSize: 3, warmup: 2 }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'multistep', milestones: [5, 2] }))).toEqual(['schedule.milestones.1']);
    expect(issuePaths(() => build({ name: 'polynomial', epsilon: 0.5 }))).toEqual(['schedule.epsilon']);
    expect(issuePaths(() => build({ name: 'linear', startFactor: 1.5 }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'sequence', parts: [] }))).not.toEqual([]);
    expect(
      issuePaths(() =>
        build({
          name: 'sequence',
          parts: [{ schedule: { name: 'constant' }, length: '10ep' }, { schedule: { name: 'constant' } }],
        }),
      ),
    ).toEqual(['schedule.parts']);
  });
});
