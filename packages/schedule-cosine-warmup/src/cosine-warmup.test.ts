import { describe, expect, it } from 'vitest';
import { cosineWarmupSchedule } from './cosine-warmup.ts';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import { assertPhases, coreBuilder, expectClose, probeTimes, scheduleCtx } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { cosineDecayWithWarmup, kerasCosineDecay } from './reference.ts';

const opts = (o: { warmup?: number; warmupStart?: number; hold?: number; total?: number; epsilon?: number }) => ({
  warmup: 0,
  warmupStart: 0,
  hold: 0,
  epsilon: 0,
  exponent: 1,
  ...o,
});

describe('cosine-warmup', () => {
  it.each([
    { initial: 0, target: 0.1, alpha: 0, warmup: 5, decaySteps: 20 },
    { initial: 0.01, target: 0.1, alpha: 0.05, warmup: 3, decaySteps: 10 },
    { initial: 0.1, target: 0.1, alpha: 0.1, warmup: 0, decaySteps: 7 },
    { initial: 1e-4, target: 3e-3, alpha: 0.5, warmup: 1, decaySteps: 1 },
  ])('matches Keras CosineDecay with warm-up (hold 0): %o', ({ initial, target, alpha, warmup, decaySteps }) => {
    const T = warmup + decaySteps;
    const s = cosineWarmupSchedule.create(
      opts({ warmup, warmupStart: initial, total: T, epsilon: alpha * target }),
      scheduleCtx(target, T),
    );
    for (const t of probeTimes([warmup], T))
      expectClose(s.at(t), kerasCosineDecay(initial, decaySteps, alpha, target, warmup, t), `t=${t}`);
    assertPhases(s);
  });

  it.each([
    { base: 0.1, total: 30, warmupStart: 0, warmup: 5, hold: 4 },
    { base: 0.05, total: 12, warmupStart: 0.01, warmup: 3, hold: 0 },
    { base: 0.2, total: 9, warmupStart: 0, warmup: 0, hold: 3 },
    { base: 0.3, total: 8, warmupStart: 0, warmup: 0, hold: 0 },
    { base: 1, total: 4, warmupStart: 0.5, warmup: 1, hold: 1 },
  ])(
    'matches the classic warm-up/hold/cosine function with epsilon 0: %o',
    ({ base, total, warmupStart, warmup, hold }) => {
      const s = cosineWarmupSchedule.create(opts({ warmup, warmupStart, hold, total }), scheduleCtx(base, total));
      for (const t of probeTimes([warmup, warmup + hold], total)) {
        expectClose(s.at(t), cosineDecayWithWarmup(t, base, total, warmupStart, warmup, hold), `t=${t}`);
      }
      assertPhases(s);
    },
  );

  it('holds at base, floors at epsilon past total, and defaults total to the run length', () => {
    const s = cosineWarmupSchedule.create(opts({ warmup: 2, hold: 3, epsilon: 0.001 }), scheduleCtx(0.1, 10));
    for (const t of [2, 3, 4]) expect(s.at(t)).toBe(0.1);
    expectClose(s.at(5), 0.1, 'first decay step');
    expect(s.at(6)).toBeLessThan(0.1);
    for (const t of [10, 11, 1000]) expectClose(s.at(t), 0.001, `t=${t}`);
    expect(s.phases).toEqual([
      { name: 'warmup', start: 0 },
      { name: 'hold', start: 2 },
      { name: 'decay', start: 5 },
      { name: 'floor', start: 10 },
    ]);
  });

  it('omits empty warm-up and hold phases', () => {
    const s = cosineWarmupSchedule.create(opts({ total: 10 }), scheduleCtx(0.1, 10));
    expect(s.phases.map((p) => p.name)).toEqual(['decay', 'floor']);
  });

  // The formula is continuous at every phase boundary; probing just left of one (a non-integer t)
  // checks the pieces meet, which integer samples alone cannot tell apart from a small jump.
  it.each([
    { W: 4, H: 2, T: 20, s0: 0.02, eps: 0.005 },
    { W: 7, H: 0, T: 15, s0: 0, eps: 0 },
    { W: 0, H: 5, T: 11, s0: 0, eps: 0.01 },
  ])('is continuous at its boundaries and stays within [min(s0, ε), base]: %o', ({ W, H, T, s0, eps }) => {
    const base = 0.1;
    const s = cosineWarmupSchedule.create(
      opts({ warmup: W, warmupStart: s0, hold: H, total: T, epsilon: eps }),
      scheduleCtx(base, T),
    );
    for (const b of [W, W + H, T].filter((b) => b > 0)) expectClose(s.at(b - 1e-9), s.at(b), `left of ${b}`, 1e-8);
    if (W > 0) expectClose(s.at(W), base, 'warm-up reaches base');
    expectClose(s.at(T), eps, 'cosine reaches epsilon');
    for (let t = 0; t <= 2 * T; t++) {
      expect(s.at(t)).toBeGreaterThanOrEqual(Math.min(s0, eps) - 1e-15);
      expect(s.at(t)).toBeLessThanOrEqual(base + 1e-15);
      if (t > 0 && t <= W) expect(s.at(t)).toBeGreaterThanOrEqual(s.at(t - 1));
      if (t > W) expect(s.at(t)).toBeLessThanOrEqual(s.at(t - 1));
    }
  });

  describe('check', () => {
    const ctx = scheduleCtx(0.1, 10);
    const paths = (o: Parameters<typeof opts>[0]) => cosineWarmupSchedule.check!(opts(o), ctx).map((i) => i.path);

    it('rejects warmup + hold ≥ total, with a hint', () => {
      expect(paths({ warmup: 6, hold: 4 })).toEqual(['warmup']);
      expect(paths({ warmup: 12 })).toEqual(['warmup']);
      expect(paths({ warmup: 3, hold: 3, total: 6 })).toEqual(['warmup']);
      expect(cosineWarmupSchedule.check!(opts({ warmup: 6, hold: 4 }), ctx)[0].hint).toMatch(/total/);
      expect(paths({ warmup: 6, hold: 3 })).toEqual([]);
    });

    it('rejects epsilon above the peak (base unless set), and allows a warm-up from above it (optax)', () => {
      expect(paths({ epsilon: 0.2 })).toEqual(['epsilon']);
      expect(paths({ warmupStart: 0.11, warmup: 2 })).toEqual([]);
      expect(paths({ warmup: 10, epsilon: 0.2 })).toEqual(['warmup', 'epsilon']);
      expect(paths({ epsilon: 0.1, warmupStart: 0.1, warmup: 2 })).toEqual([]);
      expect(cosineWarmupSchedule.check!({ ...opts({ epsilon: 0.2 }), peak: 0.3, exponent: 1 }, ctx)).toEqual([]);
      expect(cosineWarmupSchedule.check!({ ...opts({ epsilon: 0.2 }), peak: 0.15, exponent: 1 }, ctx)[0].hint).toMatch(
        /raise peak/,
      );
    });
  });
});

/**
 * Keras's own CosineDecayTest (keras/src/optimizers/schedules/learning_rate_schedule_test.py):
 * its expectations are closed forms in float64, so they hold to 1e-12 here. CosineDecay(initial,
 * decay_steps, alpha, warmup_target, warmup_steps) is cosine-warmup with warmupStart = initial,
 * warmup = warmup_steps, total = warmup_steps + decay_steps, epsilon = alpha · target, and
 * base = warmup_target (initial without a warm-up).
 */
describe('cosine-warmup: Keras CosineDecayTest', () => {
  /** Keras's np_cosine_decay. */
  const npCosineDecay = (step: number, decaySteps: number, alpha = 0) => {
    const fraction = Math.min(step, decaySteps) / decaySteps;
    return (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * fraction)) + alpha;
  };
  /** Keras's linear_warmup (it leaves out initial_lr; every test starts from 0). */
  const linearWarmup = (step: number, warmupSteps: number, initial: number, target: number) =>
    (step / warmupSteps) * (target - initial);
  const keras = (initial: number, decaySteps: number, alpha = 0, target?: number, warmupSteps = 0) =>
    cosineWarmupSchedule.create(
      opts({
        warmupStart: initial,
        warmup: warmupSteps,
        total: warmupSteps + decaySteps,
        epsilon: alpha * (target ?? initial),
      }),
      scheduleCtx(target ?? initial, warmupSteps + decaySteps),
    );
  const steps = (end: number) => Array.from({ length: end / 250 }, (_, i) => i * 250);

  it('test_decay and test_float64: CosineDecay(1.0, 1000) at steps 0, 250, … 1250', () => {
    const s = keras(1, 1000);
    for (const step of steps(1500)) expectClose(s.at(step), npCosineDecay(step, 1000), `step ${step}`);
  });

  it('test_alpha: CosineDecay(1.0, 1000, alpha 0.1)', () => {
    const s = keras(1, 1000, 0.1);
    for (const step of steps(1500)) expectClose(s.at(step), npCosineDecay(step, 1000, 0.1), `step ${step}`);
  });

  it('test_warmup: CosineDecay(0.0, 10, warmup_target 10, warmup_steps 1500)', () => {
    const s = keras(0, 10, 0, 10, 1500);
    for (const step of steps(1500)) expectClose(s.at(step), linearWarmup(step, 1500, 0, 10), `step ${step}`);
  });

  it('test_warmup_decay: CosineDecay(0.0, 1000, warmup_target 10, warmup_steps 2000) at steps 0 … 2750', () => {
    const s = keras(0, 1000, 0, 10, 2000);
    for (const step of steps(3000)) {
      const expected = step < 2001 ? linearWarmup(step, 2000, 0, 10) : 10 * npCosineDecay(step - 2000, 1000);
      expectClose(s.at(step), expected, `step ${step}`);
    }
  });
});

/**
 * PyTorch's test_compound_cosanneal_and_* (test_lrscheduler.py): CosineAnnealingLR(T_max 10,
 * eta_min 1e-10) stepped together with a multiplicative scheduler is a `product` of cosine-warmup
 * (total = T_max, epsilon = eta_min) and that schedule; PyTorch's targets are the closed form.
 */
describe('cosine-warmup in a product: PyTorch test_compound_cosanneal_and_*', () => {
  const epochs = 10;
  const etaMin = 1e-10;
  const cosine = Array.from(
    { length: epochs },
    (_, x) => etaMin + ((0.05 - etaMin) * (1 + Math.cos((Math.PI * x) / epochs))) / 2,
  );
  const build = coreBuilder([...schedules, ...stepSchedules], { base: 0.05, runTotal: epochs, stepsPerEpoch: 1 });
  const anneal = { name: 'cosine-warmup', total: epochs, epsilon: etaMin };

  it.each([
    {
      label: 'step_lr',
      part: { name: 'step', gamma: 0.1, stepSize: 3 },
      factor: (i: number) => 0.1 ** Math.floor(i / 3),
    },
    {
      label: 'multistep_lr',
      part: { name: 'multistep', gamma: 0.1, milestones: [2, 5, 9] },
      factor: (i: number) => [1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01, 0.001][i],
    },
    {
      label: 'linearlr',
      part: { name: 'linear', startFactor: 0.4, total: 4 },
      factor: (i: number) => (i < 4 ? 0.4 + (i / 4) * (1 - 0.4) : 1),
    },
    { label: 'exp_lr', part: { name: 'exponential', gamma: 0.1 }, factor: (i: number) => 0.1 ** i },
  ])('test_compound_cosanneal_and_$label', ({ part, factor }) => {
    const s = build({ name: 'product', parts: [anneal, part] });
    cosine.forEach((c, i) => expectClose(s.at(i), c * factor(i), `t=${i}`));
  });
});
