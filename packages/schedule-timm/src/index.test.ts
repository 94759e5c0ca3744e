import { describe, expect, it } from 'vitest';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import { coreBuilder, expectClose, expectDocumentedSchema, issuePaths } from '@anneal/test-utils';
import * as entry from './index.ts';

// 10 steps an epoch, 100 steps in the run; nested schedules from schedule-step.
const build = coreBuilder([...entry.schedules, ...stepSchedules]);

describe('@anneal/schedule-timm', () => {
  it('exports every plugin by name and in `schedules`', () => {
    expect(entry.schedules.map((p) => p.name)).toEqual(['tanh', 'warmup', 'noise']);
    expect(entry.schedules).toEqual([entry.tanhSchedule, entry.warmupSchedule, entry.noiseSchedule]);
    for (const plugin of entry.schedules) expectDocumentedSchema(plugin);
  });

  it('builds through core with durations and nested schedules', () => {
    const w = build({ name: 'warmup', warmup: '1ep', warmupStart: 0.01, schedule: { name: 'step', stepSize: '5ep' } });
    expectClose(w.at(5), 0.055, 'half-way up');
    expectClose(w.at(10), 0.1, 'after the warm-up');
    expectClose(w.at(50), 0.01, 'the step schedule on the run clock');
    const n = build({ name: 'noise', noiseStart: '50%', schedule: { name: 'constant' } });
    expect(n.at(49)).toBe(0.1);
    expect(n.at(50)).not.toBe(0.1);
    expectClose(build({ name: 'tanh', epsilon: 0.01 }).at(100), 0.01, 'tanh: one cycle over the run, then the floor');
  });

  it('rejects bad options with paths under `schedule`', () => {
    expect(issuePaths(() => build({ name: 'warmup', warmup: 5 }))).toEqual(['schedule.schedule']);
    expect(issuePaths(() => build({ name: 'warmup', warmup: 100, schedule: { name: 'constant' } }))).toEqual([
      'schedule.warmup',
    ]);
    expect(issuePaths(() => build({ name: 'warmup', warmup: 5, schedule: { name: 'step' } }))).toEqual([
      'schedule.schedule.stepSize',
    ]);
    expect(issuePaths(() => build({ name: 'noise', pct: 1, schedule: { name: 'constant' } }))).toEqual([
      'schedule.pct',
    ]);
    expect(
      issuePaths(() => build({ name: 'noise', noiseStart: 10, noiseEnd: 10, schedule: { name: 'constant' } })),
    ).toEqual(['schedule.noiseEnd']);
    expect(issuePaths(() => build({ name: 'tanh', lb: 3, ub: 3 }))).toEqual(['schedule.lb']);
    expect(issuePaths(() => build({ name: 'tanh', epsilon: 0.2 }))).toEqual(['schedule.epsilon']);
  });
});

describe('warmup phases', () => {
  it('puts the warm-up first, then the schedule from where the warm-up ends', () => {
    const spec = { name: 'multistep', milestones: [5, 30] };
    expect(build({ name: 'warmup', warmup: 10, schedule: spec }).phases).toEqual([
      { name: 'warmup', start: 0 },
      { name: 'milestone 1', start: 10 },
      { name: 'milestone 2', start: 30 },
    ]);
    expect(build({ name: 'warmup', warmup: 10, prefix: true, schedule: spec }).phases).toEqual([
      { name: 'warmup', start: 0 },
      { name: 'initial', start: 10 },
      { name: 'milestone 1', start: 15 },
      { name: 'milestone 2', start: 40 },
    ]);
  });
});
