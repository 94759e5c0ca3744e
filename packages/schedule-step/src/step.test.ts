import { describe, expect, it } from 'vitest';
import { stepSchedule } from './step.ts';
import { assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { torchStepLR } from './reference.ts';

const cases = [
  { base: 0.1, stepSize: 3, gamma: 0.1, total: 12 },
  { base: 0.5, stepSize: 1, gamma: 0.5, total: 10 },
  { base: 1e-3, stepSize: 7, gamma: 0.9, total: 30 },
  { base: 0.05, stepSize: 4, gamma: 1.5, total: 16 },
];

describe('step', () => {
  it.each(cases)('matches PyTorch StepLR around every drop: %o', ({ base, stepSize, gamma, total }) => {
    const s = stepSchedule.create({ stepSize, gamma }, scheduleCtx(base, total));
    const drops = Array.from({ length: Math.ceil((3 * total + 8) / stepSize) }, (_, k) => k * stepSize);
    const times = probeTimes(drops, total);
    const ref = torchStepLR(base, stepSize, gamma, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
  });

  it('holds the rate within each step and never rises when gamma < 1', () => {
    const s = stepSchedule.create({ stepSize: 5, gamma: 0.3 }, scheduleCtx(0.2, 40));
    expect(s.at(4)).toBe(s.at(0));
    expect(s.at(5)).toBeLessThan(s.at(4));
    for (let t = 1; t < 60; t++) {
      expect(s.at(t)).toBeLessThanOrEqual(s.at(t - 1));
      expect(s.at(t)).toBeGreaterThan(0);
    }
  });

  it('uses gamma 0.1 when the option is absent', () => {
    const s = stepSchedule.create({ stepSize: 2 } as never, scheduleCtx(1, 10));
    expectClose(s.at(2), 0.1, 't=2');
  });

  it('lists a phase per drop within the run, starting at 0', () => {
    const s = stepSchedule.create({ stepSize: 3, gamma: 0.1 }, scheduleCtx(0.1, 10));
    expect(s.phases.map((p) => p.start)).toEqual([0, 3, 6, 9]);
    assertPhases(s);
  });
});
