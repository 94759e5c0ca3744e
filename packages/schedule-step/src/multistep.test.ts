import { describe, expect, it } from 'vitest';
import { multistepSchedule } from './multistep.ts';
import { assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { torchMultiStepLR } from './reference.ts';

const cases = [
  { base: 0.1, milestones: [3, 8], gamma: 0.1, total: 12 },
  { base: 0.4, milestones: [2, 5, 5, 9], gamma: 0.5, total: 12 },
  { base: 0.01, milestones: [0, 4], gamma: 0.3, total: 6 },
  { base: 0.2, milestones: [1, 1, 1], gamma: 0.9, total: 3 },
  { base: 0.3, milestones: [], gamma: 0.1, total: 5 },
];

describe('multistep', () => {
  it.each(cases)('matches PyTorch MultiStepLR around every milestone: %o', ({ base, milestones, gamma, total }) => {
    const s = multistepSchedule.create({ milestones, gamma }, scheduleCtx(base, total));
    const times = probeTimes(milestones, total);
    const ref = torchMultiStepLR(base, milestones, gamma, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
    assertPhases(s);
  });

  it('drops twice at a repeated milestone', () => {
    const s = multistepSchedule.create({ milestones: [4, 4], gamma: 0.5 }, scheduleCtx(1, 10));
    expect(s.at(3)).toBe(1);
    expectClose(s.at(4), 0.25, 't=4');
  });

  it('check rejects decreasing milestones and accepts repeats', () => {
    const ctx = scheduleCtx(0.1, 20);
    const bad = multistepSchedule.check!({ milestones: [2, 9, 5], gamma: 0.1 }, ctx);
    expect(bad).toHaveLength(1);
    expect(bad[0].path).toBe('milestones.2');
    expect(bad[0].hint).toBeTruthy();
    expect(multistepSchedule.check!({ milestones: [2, 5, 5, 9], gamma: 0.1 }, ctx)).toEqual([]);
  });

  it('stays within [base · gamma^n, base] for gamma < 1', () => {
    const milestones = [3, 3, 7, 11];
    const s = multistepSchedule.create({ milestones, gamma: 0.2 }, scheduleCtx(0.3, 15));
    for (let t = 0; t < 30; t++) {
      expect(s.at(t)).toBeLessThanOrEqual(0.3);
      expect(s.at(t)).toBeGreaterThanOrEqual(0.3 * 0.2 ** milestones.length * (1 - 1e-12));
    }
  });
});
