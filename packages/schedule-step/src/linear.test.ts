import { describe, expect, it } from 'vitest';
import { linearSchedule } from './linear.ts';
import { assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { torchLinearLR } from './reference.ts';

describe('linear', () => {
  it.each([
    { base: 0.1, startFactor: 1 / 3, endFactor: 1, total: 5 },
    { base: 0.2, startFactor: 0.1, endFactor: 1, total: 12 },
    { base: 0.5, startFactor: 1, endFactor: 0.2, total: 8 },
    { base: 0.05, startFactor: 0.5, endFactor: 0.5, total: 3 },
  ])('matches PyTorch LinearLR: %o', ({ base, startFactor, endFactor, total }) => {
    const s = linearSchedule.create({ startFactor, endFactor, total }, scheduleCtx(base, 2 * total));
    const times = probeTimes([total], total);
    const ref = torchLinearLR(base, startFactor, endFactor, total, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
    assertPhases(s);
  });

  it('allows startFactor 0: a ramp from rest, base · e · t/T, then a hold', () => {
    const s = linearSchedule.create({ startFactor: 0, endFactor: 1, total: 4 }, scheduleCtx(0.8, 10));
    for (const [t, want] of [
      [0, 0],
      [1, 0.2],
      [2, 0.4],
      [3, 0.6],
      [4, 0.8],
      [5, 0.8],
      [100, 0.8],
    ])
      expectClose(s.at(t), want, `t=${t}`);
  });

  it('uses the PyTorch defaults (1/3 → 1) and the run length', () => {
    const s = linearSchedule.create({} as never, scheduleCtx(0.3, 6));
    expectClose(s.at(0), 0.1, 't=0');
    expectClose(s.at(6), 0.3, 't=T');
  });

  it('is monotone between its end points', () => {
    const s = linearSchedule.create({ startFactor: 0.9, endFactor: 0.1, total: 20 }, scheduleCtx(1, 20));
    for (let t = 1; t < 40; t++) {
      expect(s.at(t)).toBeLessThanOrEqual(s.at(t - 1));
      expect(s.at(t)).toBeGreaterThanOrEqual(0.1 - 1e-15);
    }
  });
});
