import { describe, expect, it } from 'vitest';
import * as entry from './index.ts';
import { coreBuilder, expectClose, expectDocumentedSchema, issuePaths } from '@anneal/test-utils';

// 10 steps an epoch, 100 steps in the run.
const build = coreBuilder(entry.schedules);

describe('@anneal/schedule-cosine-warmup', () => {
  it('exports every plugin by name and in `schedules`', () => {
    expect(entry.schedules.map((p) => p.name)).toEqual(['cosine-warmup', 'cosine-restarts']);
    expect(entry.schedules).toEqual([entry.cosineWarmupSchedule, entry.cosineRestartsSchedule]);
    for (const plugin of entry.schedules) expectDocumentedSchema(plugin);
  });

  it('builds through core with durations and schema defaults', () => {
    const s = build({ name: 'cosine-warmup', warmup: '1ep', hold: '5%', epsilon: 0.001 });
    expectClose(s.at(5), 0.05, 'half-way up a 1-epoch warm-up from 0');
    expectClose(s.at(14), 0.1, 'hold');
    expectClose(s.at(100), 0.001, 'floor at the run length');
    expect(s.phases.map((p) => p.start)).toEqual([0, 10, 15, 100]);
    const r = build({ name: 'cosine-restarts', period: '2ep' });
    expectClose(r.at(20), 0.1, 'restart after 2 epochs');
    expectClose(r.at(10), 0.05, 'mid-cycle');
  });

  it('rejects bad options with paths under `schedule`', () => {
    expect(issuePaths(() => build({ name: 'cosine-warmup', warmup: '6ep', hold: '4ep' }))).toEqual(['schedule.warmup']);
    expect(issuePaths(() => build({ name: 'cosine-warmup', epsilon: 0.2, warmupStart: 0.3 }))).toEqual([
      'schedule.epsilon',
    ]);
    expect(issuePaths(() => build({ name: 'cosine-warmup', epsilon: 0.2, peak: 0.15 }))).toEqual(['schedule.epsilon']);
    expect(issuePaths(() => build({ name: 'cosine-warmup', exponent: 0 }))).toEqual(['schedule.exponent']);
    expect(issuePaths(() => build({ name: 'cosine-warmup', warmup: -1 }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'cosine-restarts' }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'cosine-restarts', period: 5, periodMultiplier: 1.5 }))).not.toEqual([]);
    expect(issuePaths(() => build({ name: 'cosine-restarts', period: 5, epsilon: 1 }))).toEqual(['schedule.epsilon']);
  });
});
