/**
 * `exp schedule FILE --json` against independent ports of the reference libraries (PyTorch,
 * Keras, the classic warm-up function), every element, for every shipped schedule config.
 *
 * The reference parameters are derived here from the YAML itself (not from anneal's loader), with
 * an explicit mapping per family, so a slip in duration conversion, defaults or `extends` shows up
 * too. Where a config does not fit a reference exactly, a command-line override makes it fit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cosineDecayWithWarmup,
  kerasCosineDecay,
  kerasCosineDecayRestarts,
  optaxSgdrSchedule,
  optaxWarmupCosineDecaySchedule,
  torchWarmRestarts,
} from '@anneal/schedule-cosine-warmup/reference';
import { TorchCyclicLR, TorchOneCycleLR, triangleWave } from '@anneal/schedule-cyclical/reference';
import {
  kerasExponentialDecay,
  kerasInverseTimeDecay,
  kerasPiecewiseConstantDecay,
  kerasPolynomialDecay,
  optaxCosineOnecycleSchedule,
  optaxExponentialDecay,
  optaxPiecewiseInterpolateSchedule,
  torchChainable,
  torchChained,
  torchExponentialLR,
  torchLinearLR,
  torchMultiStepLR,
  torchPolynomialLR,
  torchStepLR,
} from '@anneal/schedule-step/reference';
import { noiseAt } from '@anneal/schedule-timm';
import { timmAddNoise, timmCosineLR, timmPolyLR, timmTanhLR } from '@anneal/schedule-timm/reference';
import { exp, repoRoot } from './exp.ts';

type Unit = 'step' | 'epoch';
type Options = Record<string, any>;

/** What a reference needs from a config: the base rate, the unit and run length, and the schedule's own options. */
interface Derived {
  base: number;
  unit: Unit;
  stepsPerEpoch: number;
  /** The run length in `unit`: the default number of points `exp schedule` prints. */
  runLength: number;
  /** The file's own `schedule:` options, with the case's overrides applied. */
  s: Options;
  /** A duration (`1ep`, `500st` or a count of the unit) in the schedule's unit. */
  d: (x: number | string) => number;
}

interface Case {
  label: string;
  file: string;
  /** Schedule overrides, passed as `schedule.KEY=VALUE` and applied to `s` here. */
  set?: Record<string, number | string | boolean>;
  /** The reference curve, n points from t = 0. */
  expected: (c: Derived, n: number) => number[];
  /** The reference momentum, n points from t = 0, for a config that cycles it (cycleMomentum). */
  momentum?: (c: Derived, n: number) => number[];
}

const points = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
const stepper = (n: number, step: () => number) => Array.from({ length: n }, step);
/** The momentum a PyTorch port sets at each of n steps (cycle_momentum). */
const momenta = (n: number, torch: { step(): number; momentum: number }) =>
  stepper(n, () => {
    torch.step();
    return torch.momentum;
  });

/** The raw YAML layers of a config: itself first, then what it extends. */
function layers(file: string): Options[] {
  const data = parse(readFileSync(join(repoRoot, file), 'utf8')) as Options;
  if (data.extends === undefined) return [data];
  expect(typeof data.extends, `${file}: one parent`).toBe('string');
  return [data, ...layers(join(dirname(file), data.extends))];
}

/** The nearest layer's value at a dotted path (deep merge, later wins). */
function nearest(ls: Options[], path: string): any {
  for (const layer of ls) {
    const value = path.split('.').reduce<any>((o, k) => (o === undefined ? undefined : o[k]), layer);
    if (value !== undefined) return value;
  }
  throw new Error(`no layer sets ${path}`);
}

/** The options with `KEY=VALUE` overrides applied at their dotted paths, as `exp` applies them under `schedule.`. */
function withOverrides(options: Options, set: NonNullable<Case['set']>): Options {
  const out = structuredClone(options);
  for (const [path, value] of Object.entries(set)) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<any>((o, k) => o[k], out);
    parent[keys.at(-1)!] = value;
  }
  return out;
}

function derive(c: Case): Derived {
  const ls = layers(c.file);
  // Every config here names its schedule itself, so no options leak in from a parent's plugin.
  const own = ls[0].schedule as Options;
  expect(own?.name, `${c.file} names its schedule`).toBeTypeOf('string');
  const unit: Unit = own.unit ?? 'epoch';
  const stepsPerEpoch = Math.ceil(nearest(ls, 'data.trainSize') / nearest(ls, 'train.batchSize'));
  const epochs = nearest(ls, 'train.epochs');
  const d = (x: number | string): number => {
    if (typeof x === 'number') return x;
    const m = /^(\d+)(ep|st)$/.exec(x);
    if (!m) throw new Error(`duration ${x} is not handled by this test`);
    const n = Number(m[1]);
    if (m[2] === 'ep') return unit === 'step' ? n * stepsPerEpoch : n;
    if (unit === 'step') return n;
    throw new Error(`${x} in an epoch schedule`);
  };
  return {
    base: nearest(ls, 'optimizer.learningRate'),
    unit,
    stepsPerEpoch,
    runLength: unit === 'step' ? epochs * stepsPerEpoch : epochs,
    s: withOverrides(own, c.set ?? {}),
    d,
  };
}

const cw = 'configs/mnist-cosine-warmup.yaml';

/**
 * cosine-warmup in the post's function: learning_rate_base = base, total_steps = total,
 * warmup_learning_rate = warmupStart, warmup_steps = warmup, hold_base_rate_steps = hold. It has
 * no floor (it decays to 0 and returns 0 past total), so it needs epsilon = 0.
 */
const post = (c: Derived, n: number) => {
  expect(c.s.epsilon, 'the post has no floor').toBe(0);
  return points(n, (t) =>
    cosineDecayWithWarmup(
      t,
      c.base,
      c.d(c.s.total ?? c.runLength),
      c.s.warmupStart ?? 0,
      c.d(c.s.warmup ?? 0),
      c.d(c.s.hold ?? 0),
    ),
  );
};

/**
 * cosine-warmup as Keras CosineDecay: initial_learning_rate = warmupStart, warmup_target = base,
 * warmup_steps = warmup, decay_steps = total − warmup, alpha = epsilon / base (without a warm-up,
 * initial_learning_rate = base). Keras has no hold.
 */
const keras = (c: Derived, n: number) => {
  expect(c.d(c.s.hold ?? 0), 'Keras has no hold').toBe(0);
  const W = c.d(c.s.warmup ?? 0);
  const T = c.d(c.s.total ?? c.runLength);
  return points(n, (t) =>
    kerasCosineDecay(W > 0 ? (c.s.warmupStart ?? 0) : c.base, T - W, (c.s.epsilon ?? 0) / c.base, c.base, W, t),
  );
};

const cases: Case[] = [
  // --- @anneal/schedule-step
  // PyTorch MultiStepLR with no milestones is the constant base rate.
  {
    label: 'constant = MultiStepLR without milestones',
    file: 'configs/schedules/constant.yaml',
    expected: (c, n) => torchMultiStepLR(c.base, [], 0.1, n),
  },
  // StepLR(step_size = stepSize, gamma); gamma defaults to 0.1 as in PyTorch.
  {
    label: 'step = PyTorch StepLR',
    file: 'configs/schedules/step.yaml',
    expected: (c, n) => torchStepLR(c.base, c.d(c.s.stepSize), c.s.gamma ?? 0.1, n),
  },
  {
    label: 'mnist-step-decay = PyTorch StepLR',
    file: 'configs/mnist-step-decay.yaml',
    expected: (c, n) => torchStepLR(c.base, c.d(c.s.stepSize), c.s.gamma ?? 0.1, n),
  },
  {
    label: 'multistep = PyTorch MultiStepLR',
    file: 'configs/schedules/multistep.yaml',
    expected: (c, n) => torchMultiStepLR(c.base, c.s.milestones, c.s.gamma ?? 0.1, n),
  },
  {
    label: 'exponential = PyTorch ExponentialLR',
    file: 'configs/schedules/exponential.yaml',
    expected: (c, n) => torchExponentialLR(c.base, c.s.gamma, n),
  },
  // Keras PolynomialDecay(initial = base, decay_steps = total, end_learning_rate = epsilon, power).
  {
    label: 'polynomial = Keras PolynomialDecay with an end rate',
    file: 'configs/schedules/polynomial.yaml',
    expected: (c, n) =>
      points(n, (t) =>
        kerasPolynomialDecay(c.base, c.d(c.s.total ?? c.runLength), c.s.epsilon ?? 0, c.s.power ?? 1, t),
      ),
  },
  {
    label: 'polynomial, cycle = Keras PolynomialDecay(cycle=True)',
    file: 'configs/schedules/polynomial.yaml',
    set: { cycle: true, total: '2ep' },
    expected: (c, n) =>
      points(n, (t) => kerasPolynomialDecay(c.base, c.d(c.s.total), c.s.epsilon ?? 0, c.s.power ?? 1, t, true)),
  },
  // Keras ExponentialDecay(initial = base, decay_steps, decay_rate = gamma, staircase).
  {
    label: 'exponential, decaySteps 1ep, staircase = Keras ExponentialDecay',
    file: 'configs/schedules/exponential.yaml',
    set: { gamma: 0.5, decaySteps: '1ep', staircase: true },
    expected: (c, n) =>
      points(n, (t) => kerasExponentialDecay(c.base, c.d(c.s.decaySteps), c.s.gamma, c.s.staircase, t)),
  },
  // optax exponential_decay(init_value = base, transition_steps, decay_rate, transition_begin, staircase, end_value).
  {
    label: 'exponential, transitionBegin and endValue = optax exponential_decay',
    file: 'configs/schedules/exponential.yaml',
    set: { gamma: 0.9, decaySteps: 50, transitionBegin: '2ep', endValue: 2.0e-4 },
    expected: (c, n) =>
      points(
        n,
        optaxExponentialDecay(c.base, c.d(c.s.decaySteps), c.s.gamma, c.d(c.s.transitionBegin), false, c.s.endValue),
      ),
  },
  {
    label: 'inverse-time = Keras InverseTimeDecay',
    file: 'configs/schedules/inverse-time.yaml',
    expected: (c, n) =>
      points(n, (t) =>
        kerasInverseTimeDecay(c.base, c.d(c.s.decaySteps ?? 1), c.s.decayRate, c.s.staircase ?? false, t),
      ),
  },
  {
    label: 'inverse-time, continuous = Keras InverseTimeDecay',
    file: 'configs/schedules/inverse-time.yaml',
    set: { staircase: false },
    expected: (c, n) =>
      points(n, (t) => kerasInverseTimeDecay(c.base, c.d(c.s.decaySteps ?? 1), c.s.decayRate, false, t)),
  },
  {
    label: 'piecewise-constant = Keras PiecewiseConstantDecay',
    file: 'configs/schedules/piecewise-constant.yaml',
    expected: (c, n) => points(n, (t) => kerasPiecewiseConstantDecay(c.s.boundaries, c.s.values, t)),
  },
  // optax piecewise_interpolate_schedule(interpolation, base, {boundaries: scales}), as shipped and linear.
  {
    label: 'piecewise-interpolate = optax piecewise_interpolate_schedule',
    file: 'configs/schedules/piecewise-interpolate.yaml',
    expected: (c, n) =>
      points(
        n,
        optaxPiecewiseInterpolateSchedule(
          c.s.interpolation,
          c.base,
          Object.fromEntries(c.s.boundaries.map((b: number, i: number) => [c.d(b), c.s.scales[i]])),
        ),
      ),
  },
  {
    label: 'piecewise-interpolate, linear = optax piecewise_interpolate_schedule',
    file: 'configs/schedules/piecewise-interpolate.yaml',
    set: { interpolation: 'linear' },
    expected: (c, n) =>
      points(
        n,
        optaxPiecewiseInterpolateSchedule(
          c.s.interpolation,
          c.base,
          Object.fromEntries(c.s.boundaries.map((b: number, i: number) => [c.d(b), c.s.scales[i]])),
        ),
      ),
  },
  // optax cosine_onecycle_schedule(T = the run, peak = 25·base, pct_start 0.3, div 25, final_div 1e4).
  {
    label: 'piecewise-interpolate = optax cosine_onecycle_schedule',
    file: 'configs/schedules/piecewise-interpolate.yaml',
    expected: (c, n) => points(n, optaxCosineOnecycleSchedule(c.runLength, 25 * c.base, 0.3, 25, 1e4)),
  },
  // PyTorch PolynomialLR(total_iters = total, power) has no floor.
  {
    label: 'polynomial, epsilon 0 = PyTorch PolynomialLR',
    file: 'configs/schedules/polynomial.yaml',
    set: { epsilon: 0 },
    expected: (c, n) => torchPolynomialLR(c.base, c.d(c.s.total ?? c.runLength), c.s.power ?? 1, n),
  },
  // PyTorch LinearLR refuses start_factor 0; a ramp from rest is Keras PolynomialDecay with power 1
  // from startFactor · base to endFactor · base.
  {
    label: 'linear from 0 = Keras PolynomialDecay, power 1',
    file: 'configs/schedules/linear.yaml',
    expected: (c, n) =>
      points(n, (t) => kerasPolynomialDecay(c.s.startFactor * c.base, c.d(c.s.total), c.s.endFactor * c.base, 1, t)),
  },
  {
    label: 'linear, startFactor 0.25 = PyTorch LinearLR',
    file: 'configs/schedules/linear.yaml',
    set: { startFactor: 0.25 },
    expected: (c, n) => torchLinearLR(c.base, c.s.startFactor, c.s.endFactor, c.d(c.s.total), n),
  },
  // Each part on its own clock (optax join_schedules): the ramp, then SGDR from t = 0 again.
  {
    label: 'sequence = Keras PolynomialDecay ramp, then PyTorch CosineAnnealingWarmRestarts',
    file: 'configs/schedules/sequence.yaml',
    expected: (c, n) => {
      const [ramp, restarts] = c.s.parts as { schedule: Options; length?: string }[];
      const L = c.d(ramp.length!);
      const r = restarts.schedule;
      const tail = torchWarmRestarts(
        c.base,
        c.d(r.period),
        r.periodMultiplier ?? 1,
        r.epsilon ?? 0,
        r.decay ?? 1,
        Math.max(n - L, 0),
      );
      return points(n, (t) =>
        t < L
          ? kerasPolynomialDecay(ramp.schedule.startFactor * c.base, L, ramp.schedule.endFactor * c.base, 1, t)
          : tail[t - L],
      );
    },
  },
  {
    label: 'sequence, ramp from 0.5 = PyTorch LinearLR, then PyTorch CosineAnnealingWarmRestarts',
    file: 'configs/schedules/sequence.yaml',
    set: { 'parts.0.schedule.startFactor': 0.5 },
    expected: (c, n) => {
      const [ramp, restarts] = c.s.parts as { schedule: Options; length?: string }[];
      const L = c.d(ramp.length!);
      const r = restarts.schedule;
      const head = torchLinearLR(c.base, ramp.schedule.startFactor, ramp.schedule.endFactor, L, L);
      const tail = torchWarmRestarts(
        c.base,
        c.d(r.period),
        r.periodMultiplier ?? 1,
        r.epsilon ?? 0,
        r.decay ?? 1,
        Math.max(n - L, 0),
      );
      return points(n, (t) => (t < L ? head[t] : tail[t - L]));
    },
  },
  // PyTorch's test_compound_cosanneal_and_*: CosineAnnealingLR(T_max = run, eta_min) in closed form,
  // times the other parts as ChainedScheduler steps them (the port, from a rate of 1).
  {
    label: 'product = PyTorch CosineAnnealingLR · LinearLR · MultiStepLR (ChainedScheduler)',
    file: 'configs/schedules/product.yaml',
    expected: (c, n) => {
      const [cos, lin, ms] = c.s.parts as Options[];
      const T = c.runLength;
      const factors = torchChained(
        1,
        [
          torchChainable.linear(lin.startFactor, lin.endFactor ?? 1, c.d(lin.total)),
          torchChainable.multiStep(ms.milestones, ms.gamma),
        ],
        n,
      );
      return points(
        n,
        (t) => (cos.epsilon + ((c.base - cos.epsilon) * (1 + Math.cos((Math.PI * t) / T))) / 2) * factors[t],
      );
    },
  },

  // --- @anneal/schedule-cosine-warmup
  // CosineAnnealingWarmRestarts(T_0 = period, T_mult = periodMultiplier, eta_min = epsilon); decay is our extension.
  {
    label: 'cosine-restarts = PyTorch CosineAnnealingWarmRestarts with decay',
    file: 'configs/schedules/cosine-restarts.yaml',
    expected: (c, n) =>
      torchWarmRestarts(c.base, c.d(c.s.period), c.s.periodMultiplier ?? 1, c.s.epsilon ?? 0, c.s.decay ?? 1, n),
  },
  {
    label: 'cosine-restarts, decay 1 = PyTorch CosineAnnealingWarmRestarts exactly',
    file: 'configs/schedules/cosine-restarts.yaml',
    set: { decay: 1 },
    expected: (c, n) => torchWarmRestarts(c.base, c.d(c.s.period), c.s.periodMultiplier ?? 1, c.s.epsilon ?? 0, 1, n),
  },
  // Keras CosineDecayRestarts(initial = base, first_decay_steps = period, t_mul, m_mul = decay, alpha = epsilon / base).
  {
    label: 'cosine-restarts, decayMode amplitude = Keras CosineDecayRestarts',
    file: 'configs/schedules/cosine-restarts.yaml',
    set: { decayMode: 'amplitude' },
    expected: (c, n) =>
      points(n, (t) =>
        kerasCosineDecayRestarts(
          c.base,
          c.d(c.s.period),
          c.s.periodMultiplier ?? 1,
          c.s.decay ?? 1,
          (c.s.epsilon ?? 0) / c.base,
          t,
        ),
      ),
  },
  {
    label: "mnist-cosine-warmup, epsilon 0 = the post's function (warm-up, hold)",
    file: cw,
    set: { epsilon: 0 },
    expected: post,
  },
  {
    label: "mnist-cosine-warmup, epsilon 0, warmupStart 2e-4 = the post's function",
    file: cw,
    set: { epsilon: 0, warmupStart: 2e-4 },
    expected: post,
  },
  // total within the run: the post returns 0 past total_steps, as our floor epsilon = 0 does.
  {
    label: "mnist-cosine-warmup, epsilon 0, total 10ep = the post's function, past total too",
    file: cw,
    set: { epsilon: 0, total: '10ep' },
    expected: post,
  },
  {
    label: 'mnist-cosine-warmup, hold 0 = Keras CosineDecay with warm-up and alpha',
    file: cw,
    set: { hold: 0 },
    expected: keras,
  },
  {
    label: 'mnist-cosine-warmup, hold 0, warmupStart 5e-4, epsilon 1e-4 = Keras CosineDecay',
    file: cw,
    set: { hold: 0, warmupStart: 5e-4, epsilon: 1e-4 },
    expected: keras,
  },
  {
    label: 'mnist-cosine-warmup, hold 0, total 10ep, epsilon 2e-4 = Keras CosineDecay, past decay_steps too',
    file: cw,
    set: { hold: 0, total: '10ep', epsilon: 2e-4 },
    expected: keras,
  },
  {
    label: 'mnist-cosine-warmup, warmup 0, hold 0 = Keras CosineDecay without warm-up',
    file: cw,
    set: { warmup: 0, hold: 0 },
    expected: keras,
  },
  // optax warmup_cosine_decay_schedule(init_value = warmupStart, peak_value = base, warmup_steps, decay_steps = total, end_value = epsilon, exponent).
  {
    label: 'mnist-cosine-warmup, hold 0, exponent 2 = optax warmup_cosine_decay_schedule',
    file: cw,
    set: { hold: 0, exponent: 2 },
    expected: (c, n) =>
      points(
        n,
        optaxWarmupCosineDecaySchedule(
          c.s.warmupStart ?? 0,
          c.base,
          c.d(c.s.warmup ?? 0),
          c.d(c.s.total ?? c.runLength),
          c.s.epsilon ?? 0,
          c.s.exponent,
        ),
      ),
  },
  {
    label: 'mnist-cosine-warmup, hold 0, warm-up from above the peak = optax warmup_cosine_decay_schedule',
    file: cw,
    set: { hold: 0, warmupStart: 0.01 },
    expected: (c, n) =>
      points(
        n,
        optaxWarmupCosineDecaySchedule(
          c.s.warmupStart,
          c.base,
          c.d(c.s.warmup ?? 0),
          c.d(c.s.total ?? c.runLength),
          c.s.epsilon ?? 0,
        ),
      ),
  },
  // optax sgdr_schedule: one warmup_cosine_decay_schedule per part (peak_value = peak, else base; decay_steps = total).
  {
    label: 'sgdr = optax sgdr_schedule',
    file: 'configs/schedules/sgdr.yaml',
    expected: (c, n) =>
      points(
        n,
        optaxSgdrSchedule(
          (c.s.parts as { schedule: Options }[]).map(({ schedule: p }) => ({
            init_value: p.warmupStart ?? 0,
            peak_value: p.peak ?? c.base,
            warmup_steps: c.d(p.warmup ?? 0),
            decay_steps: c.d(p.total),
            end_value: p.epsilon ?? 0,
            exponent: p.exponent ?? 1,
          })),
        ),
      ),
  },
  // As shipped (hold and a floor), no one reference fits; it is the post's function through the
  // hold, then Keras CosineDecay (no warm-up, alpha = epsilon / base) on a clock starting at W + H.
  {
    label: "mnist-cosine-warmup as shipped = the post's function, then Keras CosineDecay from W + H",
    file: cw,
    expected: (c, n) => {
      const W = c.d(c.s.warmup ?? 0);
      const WH = W + c.d(c.s.hold ?? 0);
      const T = c.d(c.s.total ?? c.runLength);
      return points(n, (t) =>
        t < WH
          ? cosineDecayWithWarmup(t, c.base, T, c.s.warmupStart ?? 0, W, WH - W)
          : kerasCosineDecay(c.base, T - WH, (c.s.epsilon ?? 0) / c.base, c.base, 0, t - WH),
      );
    },
  },

  // --- @anneal/schedule-timm
  // timm CosineLRScheduler(t_initial = period, lr_min = epsilon, cycle_decay = decay, cycle_limit, k_decay,
  // warmup_t, warmup_lr_init, warmup_prefix, noise_range_t = [noiseStart, noiseEnd), noise_pct, noise_seed);
  // the noise draw is anneal's (torch's generator is not ported), the rest is timm's.
  {
    label: 'timm-cosine = timm CosineLRScheduler with warm-up prefix, k-decay, cycle limit and noise',
    file: 'configs/schedules/timm-cosine.yaml',
    expected: (c, n) => {
      const w = c.s.schedule;
      const r = w.schedule;
      const cosine = timmCosineLR(c.base, {
        tInitial: c.d(r.period),
        lrMin: r.epsilon ?? 0,
        cycleMul: r.periodMultiplier ?? 1,
        cycleDecay: r.decay ?? 1,
        cycleLimit: r.cycleLimit,
        kDecay: r.kDecay ?? 1,
        warmupT: c.d(w.warmup),
        warmupLrInit: w.warmupStart ?? 0,
        warmupPrefix: w.prefix ?? false,
      });
      const noisy = timmAddNoise(
        cosine,
        [c.d(c.s.noiseStart), c.d(c.s.noiseEnd)],
        noiseAt(c.s.type ?? 'normal', c.s.pct ?? 0.67, c.s.std ?? 1, c.s.seed ?? 42),
      );
      return points(n, noisy);
    },
  },
  {
    label: 'timm-cosine, noise after the run, 3 cycles of period 3 = timm CosineLRScheduler',
    file: 'configs/schedules/timm-cosine.yaml',
    set: { noiseStart: 500, noiseEnd: 1000, 'schedule.schedule.period': 3, 'schedule.schedule.cycleLimit': 3 },
    expected: (c, n) => {
      const w = c.s.schedule;
      const r = w.schedule;
      return points(
        n,
        timmCosineLR(c.base, {
          tInitial: r.period,
          lrMin: r.epsilon ?? 0,
          cycleDecay: r.decay ?? 1,
          cycleLimit: r.cycleLimit,
          kDecay: r.kDecay ?? 1,
          warmupT: c.d(w.warmup),
          warmupLrInit: w.warmupStart ?? 0,
          warmupPrefix: w.prefix ?? false,
        }),
      );
    },
  },
  // timm TanhLRScheduler(t_initial = run, lr_min = epsilon, warmup_t, warmup_lr_init): without warmup_prefix
  // its warm-up aims at its own rate at warmup_t (warmupTo: schedule).
  {
    label: 'tanh = timm TanhLRScheduler with warm-up',
    file: 'configs/schedules/tanh.yaml',
    expected: (c, n) =>
      points(
        n,
        timmTanhLR(c.base, {
          tInitial: c.runLength,
          lrMin: c.s.schedule.epsilon ?? 0,
          warmupT: c.d(c.s.warmup),
          warmupLrInit: c.s.warmupStart ?? 0,
        }),
      ),
  },
  // timm PolyLRScheduler(t_initial = total, power, lr_min = epsilon, cycle_mul, cycle_decay, cycle_limit, k_decay).
  {
    label: 'timm-poly = timm PolyLRScheduler with cycles and k_decay',
    file: 'configs/schedules/timm-poly.yaml',
    expected: (c, n) =>
      points(
        n,
        timmPolyLR(c.base, {
          tInitial: c.d(c.s.total),
          power: c.s.power,
          lrMin: c.s.epsilon,
          cycleMul: c.s.periodMultiplier,
          cycleDecay: c.s.decay,
          cycleLimit: c.s.cycleLimit,
          kDecay: c.s.kDecay,
        }),
      ),
  },

  // --- @anneal/schedule-cyclical
  // CyclicLR(base_lr = baseLr, max_lr = maxLr, step_size_up, step_size_down, mode, gamma), and the wave it draws.
  {
    label: 'mnist-cyclical = PyTorch CyclicLR (triangular2)',
    file: 'configs/mnist-cyclical.yaml',
    expected: (c, n) => {
      const torch = new TorchCyclicLR(
        c.s.baseLr,
        c.s.maxLr ?? c.base,
        c.d(c.s.stepSizeUp),
        c.s.stepSizeDown === undefined ? null : c.d(c.s.stepSizeDown),
        c.s.mode ?? 'triangular',
        c.s.gamma ?? 1,
      );
      return stepper(n, () => torch.step());
    },
  },
  {
    label: 'mnist-cyclical = the triangle wave',
    file: 'configs/mnist-cyclical.yaml',
    expected: (c, n) => {
      const up = c.d(c.s.stepSizeUp);
      return points(n, (t) =>
        triangleWave(
          c.s.baseLr,
          c.s.maxLr ?? c.base,
          up,
          c.s.stepSizeDown === undefined ? up : c.d(c.s.stepSizeDown),
          c.s.mode ?? 'triangular',
          c.s.gamma ?? 1,
          t,
        ),
      );
    },
  },
  {
    label: 'cyclical = PyTorch CyclicLR with cycle_momentum (rate and beta1)',
    file: 'configs/schedules/cyclical.yaml',
    expected: (c, n) => {
      const torch = cyclicLR(c);
      return stepper(n, () => torch.step());
    },
    momentum: (c, n) => momenta(n, cyclicLR(c)),
  },
  // OneCycleLR(max_lr, total_steps = total, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase,
  // cycle_momentum, base_momentum, max_momentum), PyTorch's defaults.
  ...([undefined, { threePhase: true }, { annealStrategy: 'linear', pctStart: 0.25 }] as Case['set'][]).map(
    (set): Case => ({
      label: `one-cycle${set ? `, ${JSON.stringify(set)}` : ''} = PyTorch OneCycleLR with cycle_momentum`,
      file: 'configs/schedules/one-cycle.yaml',
      set,
      expected: (c, n) => {
        const torch = oneCycleLR(c);
        return stepper(n, () => torch.step());
      },
      momentum: (c, n) => momenta(n, oneCycleLR(c)),
    }),
  ),
];

function cyclicLR({ s, d, base }: Derived) {
  return new TorchCyclicLR(
    s.baseLr,
    s.maxLr ?? base,
    d(s.stepSizeUp),
    s.stepSizeDown === undefined ? null : d(s.stepSizeDown),
    s.mode ?? 'triangular',
    s.gamma ?? 1,
    s.cycleMomentum ? { base: s.baseMomentum ?? 0.8, max: s.maxMomentum ?? 0.9 } : undefined,
  );
}

function oneCycleLR({ s, d, base, runLength }: Derived) {
  return new TorchOneCycleLR(
    s.maxLr ?? base,
    d(s.total ?? runLength),
    s.pctStart ?? 0.3,
    s.annealStrategy ?? 'cos',
    s.divFactor ?? 25,
    s.finalDivFactor ?? 1e4,
    s.threePhase ?? false,
    s.cycleMomentum ? { base: s.baseMomentum ?? 0.85, max: s.maxMomentum ?? 0.95 } : undefined,
  );
}

/** The reference of a config as shipped (the case without overrides). */
const shipped = (file: string) => cases.find((c) => c.file === file && c.set === undefined)!.expected;

/** `--length N` runs, shorter and longer than the run; the longer ones on curves whose reference is defined past it. */
const lengthRuns: { file: string; length: number; expected: Case['expected'] }[] = [
  { file: 'configs/schedules/step.yaml', length: 5, expected: shipped('configs/schedules/step.yaml') },
  { file: 'configs/schedules/step.yaml', length: 40, expected: shipped('configs/schedules/step.yaml') },
  { file: 'configs/schedules/exponential.yaml', length: 2000, expected: shipped('configs/schedules/exponential.yaml') },
  {
    file: 'configs/schedules/cosine-restarts.yaml',
    length: 4000,
    expected: shipped('configs/schedules/cosine-restarts.yaml'),
  },
  { file: 'configs/schedules/sequence.yaml', length: 3000, expected: shipped('configs/schedules/sequence.yaml') },
  { file: cw, length: 100, expected: shipped(cw) },
];

const argsOf = (file: string, set: Case['set'] = {}, length?: number) => [
  'schedule',
  file,
  ...Object.entries(set).map(([k, v]) => `schedule.${k}=${v}`),
  '--json',
  ...(length === undefined ? [] : ['--length', String(length)]),
];

interface Output {
  unit: Unit;
  lr: number[];
  momentum?: number[];
}
const outputs = new Map<string, Output>();
const key = (args: string[]) => args.join(' ');

beforeAll(async () => {
  const all = [
    ...cases.map((c) => argsOf(c.file, c.set)),
    ...lengthRuns.map((r) => argsOf(r.file, {}, r.length)),
    ...lengthRuns.map((r) => argsOf(r.file)),
  ];
  const unique = [...new Map(all.map((a) => [key(a), a])).values()];
  // Each `exp` is a separate process (~1.5 s); a few at a time keeps the suite short without
  // starving a small machine (all ~50 at once thrash two cores and time out).
  const queue = [...unique];
  const results: { args: string[]; result: Awaited<ReturnType<typeof exp>> }[] = [];
  const worker = async () => {
    for (let args = queue.shift(); args; args = queue.shift()) results.push({ args, result: await exp(args) });
  };
  await Promise.all(Array.from({ length: Math.max(2, availableParallelism()) }, worker));
  for (const { args, result } of results) {
    if (result.code !== 0) throw new Error(`exp ${key(args)} exited ${result.code}: ${result.stderr}`);
    outputs.set(key(args), JSON.parse(result.stdout) as Output);
  }
  // ~50 processes can outlast the default hook timeout on a small, busy machine.
}, 900_000);

/** Every element within 1e-12 relative (1e-15 absolute near zero); lists every mismatch, with values. */
function expectMatches(actual: number[], expected: number[], label: string): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  actual.forEach((a, t) => {
    const e = expected[t];
    if (!(Math.abs(a - e) <= 1e-12 * Math.max(Math.abs(a), Math.abs(e)) + 1e-15))
      bad.push(`t=${t}: exp ${a}, reference ${e}, rel ${Math.abs(a - e) / Math.abs(e)}`);
  });
  if (bad.length) expect.fail(`${label}: ${bad.length} of ${actual.length} differ\n${bad.slice(0, 20).join('\n')}`);
}

describe('exp schedule --json matches the reference implementations', () => {
  it('covers every config in configs/schedules/', () => {
    const covered = new Set(cases.map((c) => c.file));
    for (const f of readdirSync(join(repoRoot, 'configs/schedules')))
      expect(covered, f).toContain(`configs/schedules/${f}`);
  });

  it('derives 125 steps per epoch from the mnist config', () => {
    expect(derive(cases[0]).stepsPerEpoch).toBe(125);
  });

  for (const c of cases) {
    it(c.label, () => {
      const d = derive(c);
      const out = outputs.get(key(argsOf(c.file, c.set)))!;
      expect(out.unit).toBe(d.unit);
      expect(out.lr).toHaveLength(d.runLength);
      expectMatches(out.lr, c.expected(d, d.runLength), c.label);
      if (c.momentum) {
        expect(d.s.cycleMomentum, `${c.file} cycles the momentum`).toBe(true);
        expectMatches(out.momentum!, c.momentum(d, d.runLength), `${c.label}: momentum`);
      } else expect(out.momentum, `${c.label}: no momentum`).toBeUndefined();
    });
  }

  for (const r of lengthRuns) {
    it(`--length ${r.length} changes only the length: ${r.file}`, () => {
      const d = derive({ label: '', file: r.file, expected: r.expected });
      const full = outputs.get(key(argsOf(r.file)))!;
      const out = outputs.get(key(argsOf(r.file, {}, r.length)))!;
      expect(out.unit).toBe(full.unit);
      expect(out.lr).toHaveLength(r.length);
      expect(out.lr.slice(0, d.runLength)).toEqual(full.lr.slice(0, r.length));
      expectMatches(out.lr, r.expected(d, r.length), `${r.file} --length ${r.length}`);
    });
  }
});
