import { describe, expect, it } from 'vitest';
import * as entry from './index.ts';
import { coreBuilder, expectClose, expectDocumentedSchema, issuePaths } from '@anneal/test-utils';

// 10 steps an epoch, 100 steps in the run.
const build = coreBuilder(entry.schedules);

describe('@anneal/schedule-cyclical', () => {
  it('exports every plugin by name and in `schedules`', () => {
    expect(entry.schedules.map((p) => p.name)).toEqual(['cyclical', 'one-cycle']);
    expect(entry.schedules).toEqual([entry.cyclicalSchedule, entry.oneCycleSchedule]);
    for (const plugin of entry.schedules) expectDocumentedSchema(plugin);
  });

  it('builds through core with durations and schema defaults', () => {
    const c = build({ name: 'cyclical', baseLr: 0.01, stepSizeUp: '1ep' });
    expectClose(c.at(10), 0.1, 'peak at optimizer.learningRate after 1 epoch');
    expectClose(c.at(20), 0.01, 'back at baseLr: stepSizeDown defaults to stepSizeUp');
    const o = build({ name: 'one-cycle' });
    expectClose(o.at(0), 0.1 / 25, 'starts at maxLr / 25');
    expectClose(o.at(29), 0.1, 'peaks at 0.3 · 100 − 1');
    expectClose(o.at(99), 0.1 / 25 / 1e4, 'ends at the floor');
  });

  it('rejects bad options with paths under `schedule`', () => {
    expect(issuePaths(() => build({ name: 'cyclical', stepSizeUp: 3 }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'cyclical', baseLr: 0.01, stepSizeUp: 3, mode: 'triangle' }))).not.toEqual(
      [],
    );
    expect(issuePaths(() => build({ name: 'cyclical', baseLr: 0.5, stepSizeUp: 3 }))).toEqual(['schedule.baseLr']);
    expect(issuePaths(() => build({ name: 'one-cycle', annealStrategy: 'cosine' }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'one-cycle', pctStart: 0.01 }))).toEqual(['schedule.pctStart']);
    expect(issuePaths(() => build({ name: 'one-cycle', pctStart: 0.6, threePhase: true }))).toEqual([
      'schedule.pctStart',
    ]);
  });
});
