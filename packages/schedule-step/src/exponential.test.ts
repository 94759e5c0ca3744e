import { describe, expect, it } from 'vitest';
import { exponentialSchedule } from './exponential.ts';
import { assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { torchExponentialLR } from './reference.ts';

describe('exponential', () => {
  it.each([
    { base: 0.1, gamma: 0.9, total: 20 },
    { base: 1, gamma: 0.5, total: 10 },
    { base: 3e-4, gamma: 0.999, total: 100 },
    { base: 0.01, gamma: 1.01, total: 30 },
  ])('matches PyTorch ExponentialLR: %o', ({ base, gamma, total }) => {
    const s = exponentialSchedule.create({ gamma }, scheduleCtx(base, total));
    const times = probeTimes([], total);
    const ref = torchExponentialLR(base, gamma, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
    assertPhases(s);
  });

  it('decays strictly and stays positive for gamma < 1', () => {
    const s = exponentialSchedule.create({ gamma: 0.8 }, scheduleCtx(0.1, 50));
    expect(s.at(0)).toBe(0.1);
    for (let t = 1; t < 100; t++) {
      expect(s.at(t)).toBeLessThan(s.at(t - 1));
      expect(s.at(t)).toBeGreaterThan(0);
    }
  });
});
