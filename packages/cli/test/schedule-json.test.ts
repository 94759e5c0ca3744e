/**
 * `exp schedule FILE --json` against independent ports of the reference libraries (PyTorch,
 * Keras, the classic warm-up function), every element, for every shipped schedule config.
 *
 * The reference parameters are derived here from the YAML itself (not from anneal's loader), with
 * an explicit mapping per family, so a slip in duration conversion, defaults or `extends` shows up
 * too. Where a config does not fit a reference exactly, a command-line override makes it fit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { cosineDecayWithWarmup, kerasCosineDecay, torchWarmRestarts } from '@anneal/schedule-cosine-warmup/reference';
import { TorchCyclicLR, TorchOneCycleLR, triangleWave } from '@anneal/schedule-cyclical/reference';
import {
  kerasPolynomialDecay,
  torchExponentialLR,
  torchLinearLR,
  torchMultiStepLR,
  torchPolynomialLR,
  torchStepLR,
} from '@anneal/schedule-step/reference';
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
}

const points = (n: number, f: (t: number) => number) => Array.from({ length: n }, (_, t) => f(t));
const stepper = (n: number, step: () => number) => Array.from({ length: n }, step);

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
  // OneCycleLR(max_lr, total_steps = total, pct_start, anneal_strategy, div_factor, final_div_factor, three_phase), PyTorch's defaults.
  ...([undefined, { threePhase: true }, { annealStrategy: 'linear', pctStart: 0.25 }] as Case['set'][]).map(
    (set): Case => ({
      label: `one-cycle${set ? `, ${JSON.stringify(set)}` : ''} = PyTorch OneCycleLR`,
      file: 'configs/schedules/one-cycle.yaml',
      set,
      expected: (c, n) => {
        const s = c.s;
        const torch = new TorchOneCycleLR(
          s.maxLr ?? c.base,
          c.d(s.total ?? c.runLength),
          s.pctStart ?? 0.3,
          s.annealStrategy ?? 'cos',
          s.divFactor ?? 25,
          s.finalDivFactor ?? 1e4,
          s.threePhase ?? false,
        );
        return stepper(n, () => torch.step());
      },
    }),
  ),
];

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
  // Each `exp` is a separate process (~1.5 s of CPU); a few at a time keeps the suite short
  // without starving a small machine that other jobs share.
  const queue = [...unique];
  const results: { args: string[]; result: Awaited<ReturnType<typeof exp>> }[] = [];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let args = queue.shift(); args; args = queue.shift()) results.push({ args, result: await exp(args) });
    }),
  );
  for (const { args, result } of results) {
    if (result.code !== 0) throw new Error(`exp ${key(args)} exited ${result.code}: ${result.stderr}`);
    outputs.set(key(args), JSON.parse(result.stdout) as Output);
  }
  // ~30 processes can outlast the default hook timeout on a small, busy machine.
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
