import { describe, expect, it } from 'vitest';
import { cyclicalSchedule } from './cyclical.ts';
import { create, assertPhases, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { TorchCyclicLR, triangleWave, type Mode } from './reference.ts';

/** PyTorch CyclicLR's momentum defaults, cycle_momentum off (anneal's default). */
const noMomentum = { cycleMomentum: false, baseMomentum: 0.8, maxMomentum: 0.9 };

const cases: {
  base: number;
  baseLr: number;
  maxLr?: number;
  up: number;
  down?: number;
  mode: Mode;
  gamma: number;
  total: number;
}[] = [
  { base: 0.1, baseLr: 0.001, maxLr: 0.1, up: 4, mode: 'triangular', gamma: 1, total: 24 },
  { base: 0.1, baseLr: 0.01, up: 3, down: 7, mode: 'triangular', gamma: 1, total: 30 },
  { base: 0.1, baseLr: 0.001, maxLr: 0.006, up: 5, down: 2, mode: 'triangular2', gamma: 1, total: 28 },
  { base: 0.1, baseLr: 0.001, maxLr: 0.1, up: 2, down: 6, mode: 'exp_range', gamma: 0.97, total: 32 },
  { base: 0.2, baseLr: 0, up: 1, down: 1, mode: 'triangular2', gamma: 1, total: 8 },
];

describe('cyclical', () => {
  it.each(cases)(
    'matches PyTorch CyclicLR and the triangle wave around every turn: %o',
    ({ base, baseLr, maxLr, up, down, mode, gamma, total }) => {
      const s = create(
        cyclicalSchedule,
        { baseLr, maxLr, stepSizeUp: up, stepSizeDown: down, mode, gamma },
        scheduleCtx(base, total),
      );
      const size = up + (down ?? up);
      const far = 3 * total + 8;
      const turns = Array.from({ length: Math.ceil(far / size) + 1 }, (_, k) => [k * size, k * size + up]).flat();
      const times = probeTimes(turns, total);
      const torch = new TorchCyclicLR(baseLr, maxLr ?? base, up, down ?? null, mode, gamma);
      const ref = Array.from({ length: times[times.length - 1] + 1 }, () => torch.step());
      for (const t of times) {
        expectClose(s.at(t), ref[t], `t=${t} vs PyTorch`);
        expectClose(s.at(t), triangleWave(baseLr, maxLr ?? base, up, down ?? up, mode, gamma, t), `t=${t} vs triangle`);
      }
      assertPhases(s);
    },
  );

  it('peaks at maxLr (from optimizer.learningRate by default) and troughs at baseLr', () => {
    const s = create(
      cyclicalSchedule,
      { baseLr: 0.01, stepSizeUp: 3, stepSizeDown: 5, mode: 'triangular', gamma: 1 },
      scheduleCtx(0.2, 40),
    );
    for (const k of [0, 1, 2, 3]) {
      expectClose(s.at(8 * k), 0.01, `trough ${k}`);
      expectClose(s.at(8 * k + 3), 0.2, `peak ${k}`);
    }
    for (let t = 0; t < 80; t++) {
      expect(s.at(t)).toBeGreaterThanOrEqual(0.01 - 1e-15);
      expect(s.at(t)).toBeLessThanOrEqual(0.2 + 1e-15);
    }
  });

  it('triangular2 halves the amplitude every cycle; exp_range with gamma < 1 shrinks it every step', () => {
    const halving = create(
      cyclicalSchedule,
      { baseLr: 0, maxLr: 0.8, stepSizeUp: 2, mode: 'triangular2', gamma: 1 },
      scheduleCtx(1, 20),
    );
    expect([2, 6, 10].map((t) => halving.at(t))).toEqual([0.8, 0.4, 0.2]);
    const shrinking = create(
      cyclicalSchedule,
      { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 2, mode: 'exp_range', gamma: 0.9 },
      scheduleCtx(1, 20),
    );
    expect(shrinking.at(6)).toBeLessThan(shrinking.at(2));
    expect(shrinking.at(10)).toBeLessThan(shrinking.at(6));
    for (let t = 0; t < 40; t++) expect(shrinking.at(t)).toBeGreaterThanOrEqual(0.001 - 1e-15);
  });

  it('lists up and down phases within the run', () => {
    const s = create(
      cyclicalSchedule,
      { baseLr: 0.001, maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 5, mode: 'triangular', gamma: 1 },
      scheduleCtx(0.1, 12),
    );
    expect(s.phases).toEqual([
      { name: 'up 1', start: 0 },
      { name: 'down 1', start: 3 },
      { name: 'up 2', start: 8 },
      { name: 'down 2', start: 11 },
    ]);
  });

  it('check rejects baseLr above maxLr, naming optimizer.learningRate when maxLr is implicit', () => {
    const ctx = scheduleCtx(0.01, 10);
    const implicit = cyclicalSchedule.check!(
      { baseLr: 0.1, stepSizeUp: 2, mode: 'triangular', gamma: 1, ...noMomentum },
      ctx,
    );
    expect(implicit.map((i) => i.path)).toEqual(['baseLr']);
    expect(implicit[0].message).toMatch(/optimizer\.learningRate/);
    expect(
      cyclicalSchedule.check!(
        { baseLr: 0.1, maxLr: 0.5, stepSizeUp: 2, mode: 'triangular', gamma: 1, ...noMomentum },
        ctx,
      ),
    ).toEqual([]);
  });
});
