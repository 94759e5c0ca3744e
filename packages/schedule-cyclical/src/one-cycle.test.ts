import { describe, expect, it } from 'vitest';
import { oneCycleSchedule } from './one-cycle.ts';
import { create, assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { throughKnots, TorchOneCycleLR, type Strategy } from './reference.ts';

interface Case {
  maxLr: number;
  total: number;
  pctStart: number;
  annealStrategy: Strategy;
  divFactor: number;
  finalDivFactor: number;
  threePhase: boolean;
}
const make = (c: Partial<Case>): Case => ({
  maxLr: 0.1,
  total: 100,
  pctStart: 0.3,
  annealStrategy: 'cos',
  divFactor: 25,
  finalDivFactor: 1e4,
  threePhase: false,
  ...c,
});

const cases: Case[] = [
  make({}),
  make({ total: 10, pctStart: 0.25, annealStrategy: 'linear' }),
  make({ total: 20, threePhase: true }),
  make({ total: 17, pctStart: 0.4, annealStrategy: 'linear', threePhase: true }),
  make({ total: 12, pctStart: 0.45, divFactor: 10, finalDivFactor: 100, threePhase: true }),
  make({ total: 10, pctStart: 0 }),
  make({ total: 2, pctStart: 0.3 }),
  make({ total: 8, pctStart: 1, annealStrategy: 'linear' }),
  make({ maxLr: 3, total: 33, pctStart: 0.1, divFactor: 4, finalDivFactor: 7 }),
];

function segmentEnds(c: Case): number[] {
  const p = c.pctStart * c.total;
  return c.threePhase ? [p - 1, 2 * p - 2, c.total - 1] : [p - 1, c.total - 1];
}

/** PyTorch OneCycleLR's momentum defaults, cycle_momentum off (anneal's default). */
const noMomentum = { cycleMomentum: false, baseMomentum: 0.85, maxMomentum: 0.95 };

describe('one-cycle', () => {
  it.each(cases)('matches PyTorch OneCycleLR around every phase boundary, then holds: %o', (c) => {
    const { total, ...options } = c;
    const s = create(oneCycleSchedule, { ...options, total }, scheduleCtx(1, total));
    const boundaries = segmentEnds(c).flatMap((e) => [Math.floor(e), Math.ceil(e)]);
    const torch = new TorchOneCycleLR(
      c.maxLr,
      total,
      c.pctStart,
      c.annealStrategy,
      c.divFactor,
      c.finalDivFactor,
      c.threePhase,
    );
    const ref = Array.from({ length: total }, () => torch.step());
    // PyTorch refuses to step past total_steps; our spec holds the rate reached at T − 1.
    for (const t of probeTimes(boundaries, total)) expectClose(s.at(t), ref[Math.min(t, total - 1)], `t=${t}`);
    assertPhases(s);
  });

  // Only where every knot segment has positive length (pctStart = 1 leaves the last one empty).
  it.each(cases.filter((c) => c.pctStart * c.total - 1 > 0 && c.pctStart < 1))(
    'passes through its knots, the peak at pctStart · total − 1: %o',
    (c) => {
      const s = create(oneCycleSchedule, c, scheduleCtx(1, c.total));
      const initial = c.maxLr / c.divFactor;
      const min = initial / c.finalDivFactor;
      const [e0, e1] = segmentEnds(c);
      const knots: [number, number][] = c.threePhase
        ? [
            [0, initial],
            [e0, c.maxLr],
            [e1, initial],
            [c.total - 1, min],
          ]
        : [
            [0, initial],
            [e0, c.maxLr],
            [c.total - 1, min],
          ];
      for (let t = 0; t < c.total + 3; t++) expectClose(s.at(t), throughKnots(knots, c.annealStrategy, t), `t=${t}`);
      expectClose(s.at(c.total - 1), min, 'end of the cycle', 1e-12, 1e-15 * c.maxLr);
    },
  );

  // PyTorch's linear anneal, (end − start) · 1 + start, lands on min only to within an ulp of
  // maxLr, so the lower bound is allowed that absolute slack.
  it.each(cases)('stays within [max/div/finalDiv, max]: %o', (c) => {
    const s = create(oneCycleSchedule, c, scheduleCtx(1, c.total));
    const min = c.maxLr / c.divFactor / c.finalDivFactor;
    for (let t = 0; t < 2 * c.total; t++) {
      expect(s.at(t)).toBeGreaterThanOrEqual(min - 1e-15 * c.maxLr);
      expect(s.at(t)).toBeLessThanOrEqual(c.maxLr * (1 + 1e-12));
    }
  });

  it('defaults maxLr to optimizer.learningRate and total to the run length', () => {
    const s = create(
      oneCycleSchedule,
      { pctStart: 0.3, annealStrategy: 'cos', divFactor: 25, finalDivFactor: 1e4, threePhase: false },
      scheduleCtx(0.5, 50),
    );
    expectClose(s.at(0), 0.02, 't=0');
    expectClose(s.at(14), 0.5, 'peak');
    expectClose(s.at(49), 0.5 / 25 / 1e4, 'end');
  });

  it('names its phases at the first step of each', () => {
    const two = create(oneCycleSchedule, make({ total: 10, pctStart: 0.25 }), scheduleCtx(1, 10));
    expect(two.phases).toEqual([
      { name: 'warmup', start: 0 },
      { name: 'anneal', start: 2 },
    ]);
    const three = create(oneCycleSchedule, make({ total: 20, threePhase: true }), scheduleCtx(1, 20));
    expect(three.phases).toEqual([
      { name: 'warmup', start: 0 },
      { name: 'cooldown', start: 6 },
      { name: 'anneal', start: 11 },
    ]);
    const noRise = create(oneCycleSchedule, make({ total: 10, pctStart: 0 }), scheduleCtx(1, 10));
    expect(noRise.phases).toEqual([{ name: 'anneal', start: 0 }]);
  });

  describe('check', () => {
    const issues = (c: Partial<Case>, runTotal = 100) =>
      oneCycleSchedule.check!({ ...make(c), ...noMomentum }, scheduleCtx(1, runTotal)).map((i) => i.path);

    it('rejects a run shorter than 2', () => {
      const { total: _, ...rest } = make({});
      expect(oneCycleSchedule.check!({ ...rest, ...noMomentum }, scheduleCtx(1, 1)).map((i) => i.path)).toEqual([
        'total',
      ]);
    });

    it('rejects a zero-length rise (PyTorch divides 0 by 0)', () => {
      expect(issues({ total: 10, pctStart: 0.1 })).toEqual(['pctStart']);
      expect(issues({ total: 10, pctStart: 0.2 })).toEqual([]);
    });

    it('rejects a three-phase cycle with no room for the final anneal', () => {
      expect(issues({ total: 20, pctStart: 0.6, threePhase: true })).toEqual(['pctStart']);
      expect(issues({ total: 20, pctStart: 0.6 })).toEqual([]);
      expect(issues({ total: 20, pctStart: 0.45, threePhase: true })).toEqual([]);
    });
  });
});
