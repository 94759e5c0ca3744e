import { describe, expect, it } from 'vitest';
import { constantSchedule } from './constant.ts';
import { create, assertPhases, probeTimes, scheduleCtx } from '@anneal/test-utils';

describe('constant', () => {
  it('is the base rate everywhere, past the run too', () => {
    const s = create(constantSchedule, {}, scheduleCtx(0.0125, 10));
    for (const t of probeTimes([], 10)) expect(s.at(t)).toBe(0.0125);
    assertPhases(s);
  });
});
