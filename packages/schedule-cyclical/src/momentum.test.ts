/**
 * cycle_momentum against PyTorch: the expected momenta of its own tests
 * (test/optim/test_lrscheduler.py, `test_cycle_lr_*` and `test_onecycle_lr_linear_annealing`;
 * the momentum there is any number, 1 … 5 or 1 … 22) and the extended ports in reference.ts.
 */
import { describe, expect, it } from 'vitest';
import { coreBuilder, create, expectClose, issuePaths, scheduleCtx } from '@anneal/test-utils';
import { cyclicalSchedule } from './cyclical.ts';
import { schedules } from './index.ts';
import { oneCycleSchedule } from './one-cycle.ts';
import { type Mode, TorchCyclicLR, TorchOneCycleLR } from './reference.ts';

const cyclic = (o: Record<string, unknown>) =>
  create(cyclicalSchedule, { cycleMomentum: true, ...o }, scheduleCtx(5, 40));

function expectMomenta(s: { momentum?: (t: number) => number }, targets: number[], label: string): void {
  expect(s.momentum, label).toBeTypeOf('function');
  targets.forEach((want, t) => expectClose(s.momentum!(t), want, `${label} t=${t}`));
}

describe('cyclical with cycleMomentum (PyTorch CyclicLR cycle_momentum)', () => {
  it('test_cycle_lr_triangular_mode_one_lr', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, baseMomentum: 1, maxMomentum: 5 });
    expectMomenta(s, [5, 4, 3, 2, 1, 2, 3, 4, 5, 4, 3], 'triangular');
    [1, 2, 3, 4, 5, 4, 3, 2, 1, 2, 3].forEach((want, t) => expectClose(s.at(t), want, `lr t=${t}`));
  });

  it('test_cycle_lr_triangular2_mode_one_lr', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, baseMomentum: 1, maxMomentum: 5, mode: 'triangular2' });
    expectMomenta(
      s,
      [5, 4, 3, 2, 1, 2, 3, 4, 5, 4.5, 4, 3.5, 3, 3.5, 4, 4.5, 5, 4.75, 4.5, 4.25, 4, 4.25],
      'triangular2',
    );
  });

  it('test_cycle_lr_exp_range_mode_one_lr', () => {
    const xs = [0, 0.25, 0.5, 0.75, 1, 0.75, 0.5, 0.25, 0, 0.25, 0.5, 0.75, 1];
    const s = cyclic({
      baseLr: 1,
      maxLr: 5,
      stepSizeUp: 4,
      baseMomentum: 1,
      maxMomentum: 5,
      mode: 'exp_range',
      gamma: 0.9,
    });
    expectMomenta(
      s,
      xs.map((x, i) => 5 - x * 4 * 0.9 ** i),
      'exp_range',
    );
  });

  it('test_cycle_lr_triangular_mode_step_size_up_down', () => {
    const s = cyclic({ baseLr: 1, maxLr: 5, stepSizeUp: 4, stepSizeDown: 6, baseMomentum: 1, maxMomentum: 5 });
    expectMomenta(s, [5, 4, 3, 2, 1, 5 / 3, 7 / 3, 3, 11 / 3, 13 / 3, 5], 'up 4, down 6');
  });

  it('test_cycle_lr_triangular2_mode_step_size_up_down', () => {
    const s = cyclic({
      baseLr: 1,
      maxLr: 5,
      stepSizeUp: 2,
      stepSizeDown: 6,
      baseMomentum: 1,
      maxMomentum: 5,
      mode: 'triangular2',
    });
    expectMomenta(
      s,
      [
        5,
        3,
        1,
        5 / 3,
        7 / 3,
        3,
        11 / 3,
        13 / 3,
        5,
        4,
        3,
        10 / 3,
        11 / 3,
        4,
        13 / 3,
        14 / 3,
        5,
        4.5,
        4,
        25 / 6,
        13 / 3,
        4.5,
        14 / 3,
        29 / 6,
      ],
      'triangular2, up 2, down 6',
    );
  });

  it.each([
    { mode: 'triangular', up: 3, down: 5, gamma: 1 },
    { mode: 'triangular2', up: 4, down: 4, gamma: 1 },
    { mode: 'exp_range', up: 2, down: 7, gamma: 0.95 },
  ] as { mode: Mode; up: number; down: number; gamma: number }[])(
    'equals the port of CyclicLR with cycle_momentum at every step: %o',
    ({ mode, up, down, gamma }) => {
      const s = cyclic({
        baseLr: 0.01,
        maxLr: 0.1,
        stepSizeUp: up,
        stepSizeDown: down,
        mode,
        gamma,
        baseMomentum: 0.8,
        maxMomentum: 0.9,
      });
      const torch = new TorchCyclicLR(0.01, 0.1, up, down, mode, gamma, { base: 0.8, max: 0.9 });
      for (let t = 0; t < 60; t++) {
        expectClose(s.at(t), torch.step(), `lr t=${t}`);
        expectClose(s.momentum!(t), torch.momentum, `momentum t=${t}`);
      }
    },
  );
});

describe('one-cycle with cycleMomentum (PyTorch OneCycleLR cycle_momentum)', () => {
  it('test_onecycle_lr_linear_annealing', () => {
    const s = create(
      oneCycleSchedule,
      {
        maxLr: 25,
        finalDivFactor: 2,
        baseMomentum: 1,
        maxMomentum: 22,
        total: 10,
        annealStrategy: 'linear',
        cycleMomentum: true,
      },
      scheduleCtx(25, 10),
    );
    [1, 13, 25, 21.5, 18, 14.5, 11, 7.5, 4, 0.5].forEach((want, t) => expectClose(s.at(t), want, `lr t=${t}`));
    expectMomenta(s, [22, 11.5, 1, 4, 7, 10, 13, 16, 19, 22], 'momentum');
  });

  it.each([
    { strategy: 'cos', threePhase: false, pct: 0.3 },
    { strategy: 'cos', threePhase: true, pct: 0.25 },
    { strategy: 'linear', threePhase: true, pct: 0.4 },
  ] as const)('equals the port of OneCycleLR with cycle_momentum: %o', ({ strategy, threePhase, pct }) => {
    const T = 37;
    const s = create(
      oneCycleSchedule,
      { total: T, pctStart: pct, annealStrategy: strategy, threePhase, cycleMomentum: true },
      scheduleCtx(0.1, T),
    );
    const torch = new TorchOneCycleLR(0.1, T, pct, strategy, 25, 1e4, threePhase, { base: 0.85, max: 0.95 });
    for (let t = 0; t < T; t++) {
      expectClose(s.at(t), torch.step(), `lr t=${t}`);
      expectClose(s.momentum!(t), torch.momentum, `momentum t=${t}`);
    }
  });
});

describe('momentum through core', () => {
  const build = coreBuilder(schedules);

  it('is absent unless cycleMomentum, and survives buildSchedule', () => {
    expect(build({ name: 'one-cycle' }).momentum).toBeUndefined();
    const s = build({ name: 'one-cycle', cycleMomentum: true });
    expectClose(s.momentum!(0), 0.95, 'PyTorch default max_momentum at the start');
    expect(build({ name: 'cyclical', baseLr: 0.01, stepSizeUp: 5, cycleMomentum: true }).momentum!(5)).toBe(0.8);
  });

  it('rejects baseMomentum above maxMomentum', () => {
    expect(
      issuePaths(() => build({ name: 'cyclical', baseLr: 0.01, stepSizeUp: 5, baseMomentum: 0.95, maxMomentum: 0.9 })),
    ).toEqual(['schedule.baseMomentum']);
    expect(issuePaths(() => build({ name: 'one-cycle', baseMomentum: 0.99 }))).toEqual(['schedule.baseMomentum']);
  });
});
