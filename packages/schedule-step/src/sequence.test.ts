import { describe, expect, it } from 'vitest';
import { buildSchedule, isAnnealError, PluginRegistry } from '@anneal/core';
import type { PluginDefinition, Schedule, ScheduleContext, ScheduleSpec } from '@anneal/core';
import { schedules } from './index.ts';
import { sequenceSchedule } from './sequence.ts';
import { assertPhases, coreBuilder, expectClose, scheduleCtx, withDefaults } from '@anneal/test-utils';

const byName = new Map<string, PluginDefinition<'schedule', any, Schedule, ScheduleContext>>(
  schedules.map((p) => [p.name, p]),
);

/** A context whose nested schedules come from this package's plugins, with schema defaults filled in; it records each call. */
function nestingCtx(
  base: number,
  total: number,
  calls: { spec: ScheduleSpec; total: number; path: string }[] = [],
): ScheduleContext {
  const ctx: ScheduleContext = scheduleCtx(base, total, (spec, where) => {
    calls.push({ spec, ...where });
    const { name, ...options } = spec;
    const plugin = byName.get(name)!;
    return plugin.create(withDefaults(plugin.schema, options), { ...ctx, total: where.total });
  });
  return ctx;
}

describe('sequence', () => {
  // linear warm-up 0 → base over 4, constant for 3, then exponential decay on its own clock.
  const parts = [
    { schedule: { name: 'linear', startFactor: 0, endFactor: 1 }, length: 4 },
    { schedule: { name: 'constant' }, length: 3 },
    { schedule: { name: 'exponential', gamma: 0.5 } },
  ];
  const base = 0.2;
  const total = 12;

  /** Written out by hand from the parts above. */
  function expected(t: number): number {
    if (t < 4) return (base * t) / 4;
    if (t < 7) return base;
    return base * 0.5 ** (t - 7);
  }

  it('runs each part on its own clock from 0 (optax join_schedules)', () => {
    const s = sequenceSchedule.create({ parts }, nestingCtx(base, total));
    for (const t of [0, 1, 3, 4, 5, 6, 7, 8, 11, 12, 13, 40]) expectClose(s.at(t), expected(t), `t=${t}`);
  });

  it('gives non-last parts their length as total, and the last the rest of the run', () => {
    const calls: { spec: ScheduleSpec; total: number; path: string }[] = [];
    sequenceSchedule.create({ parts }, nestingCtx(base, total, calls));
    expect(calls.map((c) => [c.spec.name, c.total, c.path])).toEqual([
      ['linear', 4, 'parts.0.schedule'],
      ['constant', 3, 'parts.1.schedule'],
      ['exponential', 5, 'parts.2.schedule'],
    ]);
  });

  it('concatenates phases with offsets and part prefixes, dropping those a later part overrides', () => {
    const s = sequenceSchedule.create({ parts }, nestingCtx(base, total));
    // linear's `hold` phase would start at 4, which belongs to the constant part.
    expect(s.phases).toEqual([
      { name: '0:ramp', start: 0 },
      { name: '1:constant', start: 4 },
      { name: '2:decay', start: 7 },
    ]);
    assertPhases(s);
  });

  it('restarts a nested decay at its part boundary', () => {
    const twoDecays = [
      { schedule: { name: 'polynomial', power: 1 }, length: 5 },
      { schedule: { name: 'polynomial', power: 2 } },
    ];
    const s = sequenceSchedule.create({ parts: twoDecays }, nestingCtx(1, 10));
    expectClose(s.at(4), 0.2, 'last step of part 0');
    expectClose(s.at(5), 1, 'first step of part 1 starts from base again');
    expectClose(s.at(7), (1 - 2 / 5) ** 2, 'part 1, t=2 on its own clock');
    expectClose(s.at(10), 0, 'end of run');
  });

  it('a single part is that schedule', () => {
    const s = sequenceSchedule.create({ parts: [{ schedule: { name: 'step', stepSize: 2 } }] }, nestingCtx(1, 6));
    for (let t = 0; t < 8; t++) expectClose(s.at(t), 0.1 ** Math.floor(t / 2), `t=${t}`);
  });

  it('check: only the last part may omit length, and the lengths must leave room for it', () => {
    const ctx = nestingCtx(0.1, 10);
    const missing = sequenceSchedule.check!(
      { parts: [{ schedule: { name: 'constant' } }, { schedule: { name: 'constant' } }] },
      ctx,
    );
    expect(missing.map((i) => i.path)).toEqual(['parts.0.length']);
    const tooLong = sequenceSchedule.check!(
      {
        parts: [
          { schedule: { name: 'constant' }, length: 6 },
          { schedule: { name: 'constant' }, length: 4 },
          { schedule: { name: 'constant' } },
        ],
      },
      ctx,
    );
    expect(tooLong.map((i) => i.path)).toEqual(['parts']);
    expect(tooLong[0].hint).toBeTruthy();
    expect(
      sequenceSchedule.check!(
        { parts: [{ schedule: { name: 'constant' }, length: 9 }, { schedule: { name: 'constant' } }] },
        ctx,
      ),
    ).toEqual([]);
  });
});

describe('sequence through core (schema, durations, nested validation)', () => {
  const registry = new PluginRegistry();
  for (const plugin of schedules) registry.register(plugin);
  const env = { registry, base: 0.1, unit: 'step' as const, stepsPerEpoch: 10, runTotal: 50 };

  it('accepts durations in part lengths and validates nested options', () => {
    const s = buildSchedule(
      {
        name: 'sequence',
        parts: [
          { schedule: { name: 'linear', startFactor: 0 }, length: '1ep' },
          { schedule: { name: 'exponential', gamma: 0.9 } },
        ],
      },
      env,
    );
    expectClose(s.at(5), 0.05, 'half-way through a 1-epoch warm-up');
    expectClose(s.at(12), 0.1 * 0.9 ** 2, 'exponential on its own clock');
  });

  it('reports a bad nested option at its path', () => {
    try {
      buildSchedule(
        { name: 'sequence', parts: [{ schedule: { name: 'step' }, length: 5 }, { schedule: { name: 'constant' } }] },
        env,
      );
      expect.fail('should throw');
    } catch (error) {
      expect(isAnnealError(error)).toBe(true);
      expect((error as { issues: { path: string }[] }).issues[0].path).toMatch(/^schedule\.parts\.0\.schedule/);
    }
  });
});

/**
 * PyTorch's own SequentialLR tests (test/optim/test_lrscheduler.py): SequentialLR(schedulers,
 * milestones) is a `sequence` whose part lengths are the differences of the milestones; each
 * scheduler restarts from the base rate at its milestone, as each part runs on its own clock.
 */
describe('sequence: PyTorch SequentialLR (test_lrscheduler.py)', () => {
  const curve = (base: number, parts: { schedule: ScheduleSpec; length?: number }[], n: number) => {
    const s = coreBuilder(schedules, { base, runTotal: n, stepsPerEpoch: 1 })({ name: 'sequence', parts });
    return Array.from({ length: n }, (_, t) => s.at(t));
  };
  const expectTargets = (actual: number[], targets: number[], label: string) => {
    expect(actual).toHaveLength(targets.length);
    targets.forEach((want, t) => expectClose(actual[t], want, `${label} t=${t}`));
  };

  it('test_sequentiallr1: ExponentialLR(0.8), then StepLR(0.1, 4) from epoch 3', () => {
    const targets = [0.05, 0.04, 0.032, ...[1, 0.1, 0.01, 0.001].flatMap((f) => Array(4).fill(0.05 * f))];
    const parts = [
      { schedule: { name: 'exponential', gamma: 0.8 }, length: 3 },
      { schedule: { name: 'step', gamma: 0.1, stepSize: 4 } },
    ];
    expectTargets(curve(0.05, parts, 19), targets, 'sequentiallr1');
  });

  it('test_sequentiallr2: ConstantLR(0.1, 3), then ExponentialLR(0.9) from epoch 3', () => {
    const targets = [0.005, 0.005, 0.005, ...Array.from({ length: 10 }, (_, x) => 0.05 * 0.9 ** x)];
    const parts = [
      { schedule: { name: 'constant', factor: 0.1, total: 3 }, length: 3 },
      { schedule: { name: 'exponential', gamma: 0.9 } },
    ];
    expectTargets(curve(0.05, parts, 13), targets, 'sequentiallr2');
  });

  it('test_sequentiallr3: ConstantLR(0.1, 3), ExponentialLR(0.8), StepLR(0.1, 2) at milestones 3, 6', () => {
    const targets = [0.005, 0.005, 0.005, 0.05, 0.04, 0.032, 0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005];
    const parts = [
      { schedule: { name: 'constant', factor: 0.1, total: 3 }, length: 3 },
      { schedule: { name: 'exponential', gamma: 0.8 }, length: 3 },
      { schedule: { name: 'step', gamma: 0.1, stepSize: 2 } },
    ];
    expectTargets(curve(0.05, parts, 12), targets, 'sequentiallr3');
  });

  it('test_sequentiallr5: ChainedScheduler([LinearLR(0.1, 5), ConstantLR(0.1, 5)]), then ConstantLR(0.5, 5)', () => {
    const targets = [0.0005, 0.0014, 0.0023, 0.0032, 0.0041, 0.025, 0.025, 0.025, 0.025, 0.025];
    const parts = [
      {
        schedule: {
          name: 'product',
          parts: [
            { name: 'linear', startFactor: 0.1, total: 5 },
            { name: 'constant', factor: 0.1, total: 5 },
          ],
        },
        length: 5,
      },
      { schedule: { name: 'constant', factor: 0.5, total: 5 } },
    ];
    expectTargets(curve(0.05, parts, 10), targets, 'sequentiallr5');
  });

  it('test_sequentiallr_does_not_alias_lr_and_initial_lr: LinearLR(0.1 → 0.8, 4), then LinearLR(0.8 → 0.1, 4), lr 2', () => {
    const parts = [
      { schedule: { name: 'linear', startFactor: 0.1, endFactor: 0.8, total: 4 }, length: 4 },
      { schedule: { name: 'linear', startFactor: 0.8, endFactor: 0.1, total: 4 } },
    ];
    expectTargets(curve(2, parts, 8), [0.2, 0.55, 0.9, 1.25, 1.6, 1.25, 0.9, 0.55], 'does_not_alias');
  });
});
