/**
 * cosine-warmup (and sequence of them) against optax: the ports in reference.ts, and the expected
 * values of optax's own tests (optax/schedules/_schedule_test.py). optax's hard-coded expectations
 * come from float32 runs, so those are checked at 1e-6 relative; the formulas at 1e-12.
 */
import { describe, expect, it } from 'vitest';
import { sequenceSchedule } from '@anneal/schedule-step';
import { assertPhases, coreBuilder, create, expectClose, issuePaths, scheduleCtx } from '@anneal/test-utils';
import { cosineWarmupSchedule } from './cosine-warmup.ts';
import {
  type OptaxCosineKwargs,
  optaxCosineDecaySchedule,
  optaxSgdrSchedule,
  optaxWarmupCosineDecaySchedule,
} from './reference.ts';

/** optax cosine_decay_schedule(init_value, decay_steps, alpha, exponent) as anneal writes it. */
const cosineDecay = (init: number, decaySteps: number, alpha: number, exponent = 1) =>
  create(cosineWarmupSchedule, { total: decaySteps, epsilon: alpha * init, exponent }, scheduleCtx(init, decaySteps));

const multipliers = (fractions: number[]) => fractions.map((f) => 0.5 + 0.5 * Math.cos(Math.PI * f));

describe('optax cosine_decay_schedule (CosineDecayTest)', () => {
  it('test_decay_count_smaller_count: (0.1, 10, 0) over counts 0 … 9', () => {
    const s = cosineDecay(0.1, 10, 0);
    multipliers([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]).forEach((m, t) =>
      expectClose(s.at(t), 0.1 * m, `t=${t}`),
    );
  });

  it('test_decay_count_greater_count: (0.1, 5, 0) over counts 0 … 11, flat after 5', () => {
    const s = cosineDecay(0.1, 5, 0);
    multipliers([0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1, 1]).forEach((m, t) =>
      expectClose(s.at(t), 0.1 * m, `t=${t}`),
    );
  });

  it('test_decay_count_greater_count_with_alpha: (0.1, 5, 0.1)', () => {
    const s = cosineDecay(0.1, 5, 0.1);
    multipliers([0, 0.2, 0.4, 0.6, 0.8, 1, 1, 1, 1, 1, 1, 1]).forEach((m, t) =>
      expectClose(s.at(t), 0.1 * (0.9 * m + 0.1), `t=${t}`),
    );
  });

  it("test_with_exponent: (0.1, 100, 0, exponent 2) at 0, 10, 50, 75, 100 (optax's float32 values)", () => {
    const s = cosineDecay(0.1, 100, 0, 2);
    const want = [0.1, 0.09516553580760956, 0.025, 0.0021446612663567066, 0.0];
    [0, 10, 50, 75, 100].forEach((t, i) => expectClose(s.at(t), want[i], `t=${t}`, 1e-6, 1e-8));
  });

  it('test_with_giant_int_steps: (1000, 1e10) at 1e9', () => {
    expectClose(cosineDecay(1000, 1e10, 0).at(1e9), 975.52826, 'count 1e9', 1e-6);
  });

  it.each([
    { init: 0.1, decaySteps: 10, alpha: 0, exponent: 1 },
    { init: 0.3, decaySteps: 17, alpha: 0.2, exponent: 2 },
    { init: 0.05, decaySteps: 7, alpha: 0.01, exponent: 0.5 },
  ])('equals the port at every count, past decay_steps too: %o', ({ init, decaySteps, alpha, exponent }) => {
    const s = cosineDecay(init, decaySteps, alpha, exponent);
    const port = optaxCosineDecaySchedule(init, decaySteps, alpha, exponent);
    for (let t = 0; t <= 3 * decaySteps; t++) expectClose(s.at(t), port(t), `t=${t}`);
  });
});

/** optax warmup_cosine_decay_schedule(init_value, peak_value, warmup_steps, decay_steps, end_value, exponent). */
const warmupCosine = (init: number, peak: number, warmup: number, decaySteps: number, end: number, exponent = 1) =>
  create(
    cosineWarmupSchedule,
    { warmupStart: init, peak, warmup, total: decaySteps, epsilon: end, exponent },
    scheduleCtx(0.123, decaySteps),
  );

describe('optax warmup_cosine_decay_schedule (WarmupCosineDecayTest)', () => {
  it.each([
    { label: 'with end value: a warm-up from 10 down to the peak 0.5', init: 10, peak: 0.5, end: 1e-4 },
    { label: 'without end value', init: 5, peak: 3, end: 0 },
  ])('test_limits, $label', ({ init, peak, end }) => {
    const s = warmupCosine(init, peak, 100, 1000, end);
    expectClose(s.at(0), init, 'count 0');
    expectClose(s.at(100), peak, 'count 100');
    expectClose(s.at(1000), end, 'count 1000', 1e-3);
    const port = optaxWarmupCosineDecaySchedule(init, peak, 100, 1000, end);
    for (let t = 0; t <= 1200; t++) expectClose(s.at(t), port(t), `t=${t}`);
    assertPhases(s);
  });

  it('test_with_exponent and test_zero_peak_value: the port gives optax’s values (a negative end rate is not a learning rate anneal accepts)', () => {
    const withExponent = optaxWarmupCosineDecaySchedule(0.2, 1.21, 50, 100, -3.0, 2);
    const want = [0.20000004768371582, 0.4020000100135803, 1.2100000381469727, -1.947500228881836, -3.000000238418579];
    [0, 10, 50, 75, 100].forEach((t, i) => expectClose(withExponent(t), want[i], `t=${t}`, 1e-6, 1e-8));
    const zeroPeak = optaxWarmupCosineDecaySchedule(0.2, 0, 50, 100, -3.0, 2);
    [0.2, 0.16, 0, 0, 0].forEach((v, i) => expectClose(zeroPeak([0, 10, 50, 75, 100][i]), v, `t=${i}`, 1e-6, 1e-8));
    expect(issuePaths(() => coreBuilder([cosineWarmupSchedule])({ name: 'cosine-warmup', peak: 0 }))).toEqual([
      'schedule.peak',
    ]);
  });

  it.each([
    { init: 0, peak: 0.1, warmup: 5, decaySteps: 30, end: 1e-3, exponent: 1 },
    { init: 0.4, peak: 0.1, warmup: 7, decaySteps: 20, end: 0, exponent: 2 },
    { init: 0.01, peak: 0.2, warmup: 0, decaySteps: 9, end: 0.02, exponent: 1.5 },
  ])('equals the port at every count: %o', ({ init, peak, warmup, decaySteps, end, exponent }) => {
    const s = warmupCosine(init, peak, warmup, decaySteps, end, exponent);
    const port = optaxWarmupCosineDecaySchedule(init, peak, warmup, decaySteps, end, exponent);
    for (let t = 0; t <= 2 * decaySteps; t++) expectClose(s.at(t), port(t), `t=${t}`);
  });

  it('optax raises for decay_steps ≤ warmup_steps; anneal reports it at `warmup`', () => {
    expect(() => optaxWarmupCosineDecaySchedule(0, 1, 10, 10)).toThrow(/positive decay_steps/);
    expect(
      issuePaths(() => coreBuilder([cosineWarmupSchedule])({ name: 'cosine-warmup', warmup: 10, total: 10 })),
    ).toEqual(['schedule.warmup']);
  });
});

/** optax sgdr_schedule as anneal writes it: a sequence of cosine-warmup parts, each its own length. */
function sgdrSpec(cycles: OptaxCosineKwargs[]) {
  return {
    name: 'sequence',
    parts: cycles.map((k, i) => ({
      schedule: {
        name: 'cosine-warmup',
        warmupStart: k.init_value,
        peak: k.peak_value,
        warmup: k.warmup_steps,
        total: k.decay_steps,
        epsilon: k.end_value ?? 0,
        exponent: k.exponent ?? 1,
      },
      ...(i < cycles.length - 1 ? { length: k.decay_steps } : {}),
    })),
  };
}

describe('optax sgdr_schedule (SGDRTest): a sequence of cosine-warmup parts', () => {
  const build = coreBuilder([cosineWarmupSchedule, sequenceSchedule], { base: 1, runTotal: 12_000 });

  it.each([
    { label: 'with step decay', lrs: [1.6, 0.8, 0.4] },
    { label: 'without step_decay', lrs: [1.6, 1.6, 1.6] },
  ])('test_limits, $label: the peak of each cycle after its warm-up', ({ lrs }) => {
    const cycles = [2000, 3000, 5000].map((steps, i) => ({
      decay_steps: steps,
      peak_value: lrs[i],
      init_value: 0,
      end_value: 0,
      warmup_steps: 500,
    }));
    const s = build(sgdrSpec(cycles));
    expectClose(s.at(500), lrs[0], 'count 500');
    expectClose(s.at(2500), lrs[1], 'count 2500');
    expectClose(s.at(5500), lrs[2], 'count 5500');
    const port = optaxSgdrSchedule(cycles);
    for (let t = 0; t <= 12_000; t += 7) expectClose(s.at(t), port(t), `t=${t}`);
    for (const b of [2000, 5000, 10_000])
      for (const t of [b - 1, b, b + 1]) expectClose(s.at(t), port(t), `around ${b}: t=${t}`);
  });

  it('differs per cycle in peak, length, warm-up, floor and exponent', () => {
    const cycles: OptaxCosineKwargs[] = [
      { init_value: 0, peak_value: 1, warmup_steps: 10, decay_steps: 100, end_value: 0.01 },
      { init_value: 0.9, peak_value: 0.5, warmup_steps: 0, decay_steps: 60, end_value: 0, exponent: 2 },
      { init_value: 0.05, peak_value: 0.25, warmup_steps: 25, decay_steps: 140, end_value: 0.001, exponent: 0.5 },
    ];
    const s = build(sgdrSpec(cycles));
    const port = optaxSgdrSchedule(cycles);
    for (let t = 0; t <= 600; t++) expectClose(s.at(t), port(t), `t=${t}`);
  });
});
