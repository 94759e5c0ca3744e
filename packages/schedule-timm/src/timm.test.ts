/**
 * anneal's spelling of timm's schedulers against the ports in reference.ts (1e-12: timm computes
 * in Python floats) and against the expectations of timm's own tests (tests/test_scheduler.py),
 * at the tolerance those use (rel 1e-5, or 1e-2 for the mid-point of test_cosine_decay).
 */
import { describe, expect, it } from 'vitest';
import { schedules as cosineSchedules } from '@anneal/schedule-cosine-warmup';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import type { ScheduleSpec } from '@anneal/core';
import { coreBuilder, expectClose } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { timmCosineLR, timmPolyLR, timmTanhLR } from './reference.ts';

const base = 0.1;
const build = coreBuilder([...schedules, ...cosineSchedules, ...stepSchedules], { base, runTotal: 400 });

/** timm CosineLRScheduler(t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, k_decay) without warm-up. */
const timmCosine = (o: {
  tInitial: number;
  lrMin?: number;
  mul?: number;
  decay?: number;
  limit?: number;
  k?: number;
}) => ({
  name: 'cosine-restarts',
  period: o.tInitial,
  epsilon: o.lrMin ?? 0,
  periodMultiplier: o.mul ?? 1,
  decay: o.decay ?? 1,
  cycleLimit: o.limit ?? 1,
  kDecay: o.k ?? 1,
});

/** timm's warm-up options around a schedule. */
const withWarmup = (
  schedule: ScheduleSpec,
  warmup: number,
  warmupStart: number,
  prefix = false,
  warmupTo = 'base',
) => ({
  name: 'warmup',
  warmup,
  warmupStart,
  prefix,
  warmupTo,
  schedule,
});

const upstream: { label: string; spec: ScheduleSpec }[] = [
  { label: 'CosineLRScheduler(t_initial 100)', spec: timmCosine({ tInitial: 100 }) },
  { label: 'StepLRScheduler(decay_t 10, decay_rate 0.5)', spec: { name: 'step', stepSize: 10, gamma: 0.5 } },
  {
    label: 'MultiStepLRScheduler(decay_t [10, 20, 30], decay_rate 0.5)',
    spec: { name: 'multistep', milestones: [10, 20, 30], gamma: 0.5 },
  },
  { label: 'PolyLRScheduler(t_initial 100), power 0.5', spec: { name: 'polynomial', total: 100, power: 0.5 } },
  { label: 'TanhLRScheduler(t_initial 100)', spec: { name: 'tanh', total: 100 } },
];

describe('timm tests/test_scheduler.py', () => {
  it.each(upstream)('TestWarmup.test_warmup_lr_increases: $label', ({ spec }) => {
    const s = build(withWarmup(spec, 5, 0.001));
    expectClose(s.at(0), 0.001, 'starts at warmup_lr_init', 1e-5);
    for (let t = 1; t < 5; t++) expect(s.at(t), `t=${t}`).toBeGreaterThan(s.at(t - 1));
  });

  it.each(upstream)('TestWarmup.test_warmup_prefix_reaches_target_lr: $label', ({ spec }) => {
    const s = build(withWarmup(spec, 5, 0.001, true));
    expectClose(s.at(5), base, 'base_lr at the first step after the warm-up', 1e-5);
  });

  it('TestCosineScheduler.test_cosine_decay: base at 0, the mid-point at 50, lr_min at t_initial', () => {
    const s = build(timmCosine({ tInitial: 100, lrMin: 0.001 }));
    expectClose(s.at(0), base, 't=0', 1e-5);
    expectClose(s.at(50), 0.001 + 0.5 * (base - 0.001) * (1 + Math.cos(Math.PI * 0.5)), 't=50', 1e-2);
    expectClose(s.at(100), 0.001, 't=100', 1e-5);
  });

  it('TestCosineScheduler.test_cosine_cycles: cycle_limit 2, then lr_min', () => {
    const s = build(timmCosine({ tInitial: 50, lrMin: 0.001, limit: 2 }));
    expect(s.at(49)).toBeLessThan(base * 0.5);
    for (let t = 100; t < 110; t++) expectClose(s.at(t), 0.001, `t=${t}`, 1e-5);
  });

  it('TestStepScheduler.test_step_decay and TestMultiStepScheduler: the drop lands on the milestone', () => {
    const step = build({ name: 'step', stepSize: 10, gamma: 0.5 });
    expectClose(step.at(9), base, 't=9', 1e-5);
    expectClose(step.at(10), base * 0.5, 't=10', 1e-5);
    expectClose(step.at(20), base * 0.25, 't=20', 1e-5);
    const multi = build({ name: 'multistep', milestones: [10, 20, 30], gamma: 0.5 });
    for (const [t, k] of [
      [8, 0],
      [9, 0],
      [10, 1],
      [11, 1],
      [19, 1],
      [20, 2],
      [21, 2],
      [31, 3],
    ])
      expectClose(multi.at(t), base * 0.5 ** k, `t=${t}`, 1e-5);
  });

  it('TestPolyScheduler.test_poly_decay: power 1 from base to lr_min', () => {
    const s = build({ name: 'polynomial', total: 100, epsilon: 0.001, power: 1 });
    expectClose(s.at(0), base, 't=0', 1e-5);
    expectClose(s.at(100), 0.001, 't=100', 1e-5);
  });

  it('TestKDecay.test_poly_k_decay: PolyLRScheduler(t_initial 100) with k_decay 1 and 2 differ at t = 50', () => {
    const k1 = build({ name: 'polynomial', total: 100, power: 0.5, kDecay: 1 });
    const k2 = build({ name: 'polynomial', total: 100, power: 0.5, kDecay: 2 });
    expect(k1.at(50)).not.toBe(k2.at(50));
    // The closed forms of timm's _get_lr at t = 50: 0.1·(1 − 50/100)^0.5 and 0.1·(1 − 50²/100²)^0.5.
    expectClose(k1.at(50), 0.1 * 0.5 ** 0.5, 'k 1');
    expectClose(k2.at(50), 0.1 * 0.75 ** 0.5, 'k 2');
  });

  it('TestTanhScheduler.test_tanh_decay: ends below where it starts', () => {
    const s = build({ name: 'tanh', total: 100, epsilon: 0.001 });
    expect(s.at(100)).toBeLessThan(s.at(0));
  });
});

describe('against the ports of timm CosineLRScheduler, TanhLRScheduler and PolyLRScheduler', () => {
  const cycles = [
    { tInitial: 30, lrMin: 0.001 },
    { tInitial: 20, lrMin: 0, mul: 2, decay: 0.5, limit: 4 },
    { tInitial: 7, lrMin: 0.005, mul: 3, decay: 0.8, limit: 3 },
    { tInitial: 25, lrMin: 0.002, decay: 0.7, limit: 10 },
  ];
  const warmups = [
    { warmupT: 0 },
    { warmupT: 6, warmupLrInit: 0.001 },
    { warmupT: 6, warmupLrInit: 0.001, warmupPrefix: true },
    { warmupT: 4, warmupLrInit: 0.3, warmupPrefix: true },
  ];
  const times = Array.from({ length: 400 }, (_, t) => t);

  for (const c of cycles)
    for (const w of warmups)
      for (const k of [1, 2, 0.5])
        it(`cosine ${JSON.stringify({ ...c, ...w, k })}`, () => {
          const spec = timmCosine({ ...c, k });
          const s = build(w.warmupT ? withWarmup(spec, w.warmupT, w.warmupLrInit!, w.warmupPrefix) : spec);
          const port = timmCosineLR(base, {
            tInitial: c.tInitial,
            lrMin: c.lrMin,
            cycleMul: c.mul,
            cycleDecay: c.decay,
            cycleLimit: c.limit,
            kDecay: k,
            ...w,
          });
          for (const t of times) expectClose(s.at(t), port(t), `t=${t}`);
        });

  for (const c of cycles)
    for (const w of warmups)
      for (const [k, power] of [
        [1, 0.5],
        [2, 1],
        [0.5, 2],
      ])
        it(`poly ${JSON.stringify({ ...c, ...w, k, power })}`, () => {
          const spec = {
            name: 'polynomial',
            total: c.tInitial,
            power,
            epsilon: c.lrMin,
            kDecay: k,
            periodMultiplier: c.mul ?? 1,
            decay: c.decay ?? 1,
            cycleLimit: c.limit ?? 1,
          };
          const s = build(w.warmupT ? withWarmup(spec, w.warmupT, w.warmupLrInit!, w.warmupPrefix) : spec);
          const port = timmPolyLR(base, {
            tInitial: c.tInitial,
            power,
            lrMin: c.lrMin,
            cycleMul: c.mul,
            cycleDecay: c.decay,
            cycleLimit: c.limit,
            kDecay: k,
            ...w,
          });
          for (const t of times) expectClose(s.at(t), port(t), `t=${t}`);
        });

  for (const c of cycles)
    for (const w of warmups)
      for (const [lb, ub] of [
        [-7, 3],
        [-3, 5],
      ])
        it(`tanh ${JSON.stringify({ ...c, ...w, lb, ub })}`, () => {
          const spec = {
            name: 'tanh',
            total: c.tInitial,
            lb,
            ub,
            epsilon: c.lrMin,
            periodMultiplier: c.mul ?? 1,
            decay: c.decay ?? 1,
            cycleLimit: c.limit ?? 1,
          };
          // timm's tanh warm-up aims at its own rate at warmup_t unless warmup_prefix.
          const s = build(
            w.warmupT
              ? withWarmup(spec, w.warmupT, w.warmupLrInit!, w.warmupPrefix, w.warmupPrefix ? 'base' : 'schedule')
              : spec,
          );
          const port = timmTanhLR(base, {
            tInitial: c.tInitial,
            lrMin: c.lrMin,
            cycleMul: c.mul,
            cycleDecay: c.decay,
            cycleLimit: c.limit,
            lb,
            ub,
            ...w,
          });
          for (const t of times) expectClose(s.at(t), port(t), `t=${t}`);
        });
});
