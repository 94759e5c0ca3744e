import { describe, expect, it } from 'vitest';
import { cosineRestartsSchedule } from './cosine-restarts.ts';
import { assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { torchWarmRestarts } from './reference.ts';

function restartsUpTo(period: number, mult: number, end: number): number[] {
  const starts: number[] = [];
  for (let start = 0, length = period; start <= end; start += length, length *= mult) starts.push(start);
  return starts;
}

const cases = [
  { base: 0.1, period: 5, mult: 1, epsilon: 0, decay: 1, total: 20 },
  { base: 0.1, period: 3, mult: 2, epsilon: 0, decay: 0.5, total: 21 },
  { base: 0.05, period: 2, mult: 3, epsilon: 1e-3, decay: 1, total: 26 },
  { base: 0.2, period: 1, mult: 2, epsilon: 0.01, decay: 0.8, total: 15 },
  { base: 0.3, period: 1, mult: 1, epsilon: 0, decay: 1, total: 4 },
  { base: 0.1, period: 10, mult: 1, epsilon: 0.02, decay: 0.9, total: 35 },
];

describe('cosine-restarts', () => {
  it.each(cases)(
    'matches PyTorch CosineAnnealingWarmRestarts around every restart: %o',
    ({ base, period, mult, epsilon, decay, total }) => {
      const s = cosineRestartsSchedule.create(
        { period, periodMultiplier: mult, epsilon, decay },
        scheduleCtx(base, total),
      );
      const far = 3 * total + 8;
      const times = probeTimes(restartsUpTo(period, mult, far), total);
      const ref = torchWarmRestarts(base, period, mult, epsilon, decay, times[times.length - 1] + 1);
      for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
      assertPhases(s);
    },
  );

  it('matches the reference at every step of a long run with a growing period', () => {
    const s = cosineRestartsSchedule.create(
      { period: 7, periodMultiplier: 2, epsilon: 0.001, decay: 0.5 },
      scheduleCtx(0.1, 500),
    );
    const ref = torchWarmRestarts(0.1, 7, 2, 0.001, 0.5, 500);
    for (let t = 0; t < 500; t++) expectClose(s.at(t), ref[t], `t=${t}`);
  });

  it('restarts at the peak exactly at each cycle start, and stays within [epsilon, peak]', () => {
    const base = 0.1;
    const s = cosineRestartsSchedule.create(
      { period: 4, periodMultiplier: 2, epsilon: 0.002, decay: 0.5 },
      scheduleCtx(base, 60),
    );
    restartsUpTo(4, 2, 60).forEach((start, i) => {
      expectClose(s.at(start), base * 0.5 ** i, `start of cycle ${i}`);
      if (start > 0) expect(s.at(start)).toBeGreaterThan(s.at(start - 1));
    });
    for (let t = 0; t < 120; t++) {
      expect(s.at(t)).toBeGreaterThanOrEqual(0.002 - 1e-15);
      expect(s.at(t)).toBeLessThanOrEqual(base);
    }
  });

  it('lists a phase per cycle that starts within the run', () => {
    const s = cosineRestartsSchedule.create(
      { period: 3, periodMultiplier: 2, epsilon: 0, decay: 1 },
      scheduleCtx(0.1, 21),
    );
    expect(s.phases.map((p) => p.start)).toEqual([0, 3, 9]);
  });

  it('check rejects epsilon above the base rate', () => {
    const ctx = scheduleCtx(0.1, 10);
    expect(
      cosineRestartsSchedule.check!({ period: 3, epsilon: 0.5, periodMultiplier: 1, decay: 1 }, ctx).map((i) => i.path),
    ).toEqual(['epsilon']);
    expect(cosineRestartsSchedule.check!({ period: 3, epsilon: 0.1, periodMultiplier: 1, decay: 1 }, ctx)).toEqual([]);
  });
});
