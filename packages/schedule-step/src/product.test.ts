/**
 * `product` against PyTorch: the port of ChainedScheduler in reference.ts, and the expected rates
 * of PyTorch's own tests (test/optim/test_lrscheduler.py, TestLRScheduler: `test_chained_lr*`,
 * which chain with ChainedScheduler, and `test_compound_*`, which step several schedulers on one
 * optimizer). SGD lr = 0.05 as in PyTorch's setUp; float64 there, so 1e-12 relative here.
 */
import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '@anneal/core';
import { assertPhases, coreBuilder, expectClose, issuePaths, momentumCycler } from '@anneal/test-utils';
import { schedules } from './index.ts';
import { type TorchChainable, torchChainable as torch, torchChained } from './reference.ts';

const base = 0.05;
const build = coreBuilder(schedules, { base, runTotal: 30, stepsPerEpoch: 1 });
const product = (...parts: ScheduleSpec[]) => build({ name: 'product', parts });

function expectCurve(parts: ScheduleSpec[], expected: number[], label: string): void {
  const s = product(...parts);
  expected.forEach((want, t) => expectClose(s.at(t), want, `${label} t=${t}`));
  assertPhases(s);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('product: the expected rates of PyTorch test_lrscheduler.py', () => {
  it('test_chained_lr1: StepLR(gamma 0.1, step_size 3)', () => {
    const targets = [...Array(3).fill(0.05), ...Array(3).fill(0.005), ...Array(3).fill(0.0005), 0.00005];
    expectCurve([{ name: 'step', stepSize: 3, gamma: 0.1 }], targets, 'chained_lr1');
  });

  it('test_chained_lr2: LinearLR(start_factor 0.4, total_iters 3)', () => {
    expectCurve(
      [{ name: 'linear', startFactor: 0.4, total: 3 }],
      [0.02, 0.03, 0.04, ...Array(7).fill(0.05)],
      'chained_lr2',
    );
  });

  it('test_chained_lr3: LinearLR(0.4, 3) · MultiStepLR([4, 8, 10], 0.1)', () => {
    expectCurve(
      [
        { name: 'linear', startFactor: 0.4, total: 3 },
        { name: 'multistep', milestones: [4, 8, 10], gamma: 0.1 },
      ],
      [0.02, 0.03, 0.04, 0.05, ...Array(4).fill(0.005), ...Array(2).fill(0.0005)],
      'chained_lr3',
    );
  });

  it('test_chained_lr4: ExponentialLR(0.9) · ConstantLR(0.2, 4) · StepLR(0.1, 3)', () => {
    const targets = [
      ...range(3).map((x) => 0.05 * 0.2 * 0.9 ** x),
      0.05 * 0.2 * 0.9 ** 3 * 0.1,
      ...[4, 5].map((x) => 0.05 * 0.9 ** x * 0.1),
      ...[6, 7, 8].map((x) => 0.05 * 0.9 ** x * 0.01),
    ];
    expectCurve(
      [
        { name: 'exponential', gamma: 0.9 },
        { name: 'constant', factor: 0.2, total: 4 },
        { name: 'step', gamma: 0.1, stepSize: 3 },
      ],
      targets,
      'chained_lr4',
    );
  });

  it('test_chained_lr5: PolynomialLR(power 0.9, total_iters 5) · ConstantLR(0.1), total_iters 5 by default', () => {
    const poly = [...range(5).map((x) => 0.05 * (1 - x / 5) ** 0.9), ...Array(5).fill(0)];
    expectCurve(
      [
        { name: 'polynomial', power: 0.9, total: 5 },
        { name: 'constant', factor: 0.1, total: 5 },
      ],
      poly.map((x) => x * 0.1),
      'chained_lr5',
    );
  });

  const ms = { name: 'multistep', gamma: 0.1, milestones: [2, 5, 9] };
  it.each([
    {
      label: 'test_compound_step_and_multistep_lr',
      parts: [{ name: 'step', gamma: 0.1, stepSize: 3 }, ms],
      targets: [0.05, 0.05, 0.005, 5e-4, 5e-4, 5e-5, 5e-6, 5e-6, 5e-6, 5e-8],
    },
    {
      label: 'test_compound_step_and_exp_lr',
      parts: [
        { name: 'step', gamma: 0.1, stepSize: 3 },
        { name: 'exponential', gamma: 0.9 },
      ],
      targets: range(10).map((x) => 0.05 * 0.1 ** Math.floor(x / 3) * 0.9 ** x),
    },
    {
      label: 'test_compound_exp_and_multistep_lr',
      parts: [ms, { name: 'exponential', gamma: 0.9 }],
      targets: [0.05, 0.05, 0.005, 0.005, 0.005, 0.0005, 0.0005, 0.0005, 0.0005, 0.00005].map((x, i) => x * 0.9 ** i),
    },
    {
      label: 'test_compound_exp_and_linearlr',
      parts: [
        { name: 'linear', startFactor: 0.4, endFactor: 0.9, total: 4 },
        { name: 'exponential', gamma: 0.9 },
      ],
      targets: range(10).map((i) => 0.05 * 0.9 ** i * (i < 4 ? 0.4 + (i / 4) * (0.9 - 0.4) : 0.9)),
    },
    {
      label: 'test_compound_step_and_constantlr',
      parts: [
        { name: 'step', gamma: 0.1, stepSize: 3 },
        { name: 'constant', factor: 0.4, total: 4 },
      ],
      targets: [0.05 * 0.4, 0.05 * 0.4, 0.05 * 0.4, 0.005 * 0.4, 0.005, 0.005, 0.0005, 0.0005, 0.0005, 0.00005],
    },
    {
      label: 'test_compound_linearlr_and_multistep_lr',
      parts: [ms, { name: 'linear', startFactor: 0.4, total: 4 }],
      targets: [0.05, 0.05, 0.005, 0.005, 0.005, 0.0005, 0.0005, 0.0005, 0.0005, 0.00005].map(
        (x, i) => x * (i < 4 ? 0.4 + (i / 4) * (1 - 0.4) : 1),
      ),
    },
  ])('$label', ({ label, parts, targets }) => expectCurve(parts, targets, label));
});

/** Each multiplicative PyTorch scheduler, as anneal writes it and as the port builds it. */
const kinds: { spec: ScheduleSpec; torch: TorchChainable }[] = [
  { spec: { name: 'step', stepSize: 4, gamma: 0.5 }, torch: torch.step(4, 0.5) },
  { spec: { name: 'multistep', milestones: [3, 7, 7, 12], gamma: 0.3 }, torch: torch.multiStep([3, 7, 7, 12], 0.3) },
  { spec: { name: 'exponential', gamma: 0.95 }, torch: torch.exponential(0.95) },
  { spec: { name: 'linear', startFactor: 0.25, endFactor: 0.8, total: 6 }, torch: torch.linear(0.25, 0.8, 6) },
  { spec: { name: 'constant', factor: 0.3, total: 5 }, torch: torch.constant(0.3, 5) },
  { spec: { name: 'polynomial', power: 1.7, total: 20 }, torch: torch.polynomial(20, 1.7) },
];

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('product against the ChainedScheduler port', () => {
  it('equals PyTorch for Step, MultiStep, Exponential, Linear, Constant and Polynomial in all 720 orders', () => {
    for (const order of permutations(kinds)) {
      const s = product(...order.map((k) => k.spec));
      const ref = torchChained(
        base,
        order.map((k) => k.torch),
        40,
      );
      const label = order.map((k) => k.spec.name).join('·');
      ref.forEach((want, t) => expectClose(s.at(t), want, `${label} t=${t}`));
    }
  });

  it('equals PyTorch for every pair, past the end of every part', () => {
    for (const a of kinds)
      for (const b of kinds) {
        const s = product(a.spec, b.spec);
        const ref = torchChained(base, [a.torch, b.torch], 60);
        ref.forEach((want, t) => expectClose(s.at(t), want, `${a.spec.name}·${b.spec.name} t=${t}`));
      }
  });

  it('a single part is that schedule', () => {
    const alone = build({ name: 'step', stepSize: 4, gamma: 0.5 });
    const s = product({ name: 'step', stepSize: 4, gamma: 0.5 });
    for (let t = 0; t < 40; t++) expect(s.at(t)).toBe(alone.at(t));
  });

  it('lists the phases of every part once, in order', () => {
    const s = product({ name: 'constant', factor: 0.5, total: 4 }, { name: 'multistep', milestones: [4, 9] });
    expect(s.phases).toEqual([
      { name: '0:scaled+1:initial', start: 0 },
      { name: '0:base+1:milestone 1', start: 4 },
      { name: '1:milestone 2', start: 9 },
    ]);
  });

  it('reports a bad part at its path and needs at least one part', () => {
    expect(issuePaths(() => product({ name: 'step' }))).toEqual(['schedule.parts.0.stepSize']);
    expect(issuePaths(() => product({ name: 'constant' }, { name: 'nope' }))).toEqual(['schedule.parts.1.name']);
    expect(issuePaths(() => build({ name: 'product', parts: [] }))).toEqual(['schedule.parts']);
  });
});

describe('constant with a factor (PyTorch ConstantLR)', () => {
  it('test_constantlr: factor 1/2, total_iters 5', () => {
    const s = build({ name: 'constant', factor: 0.5, total: 5 });
    [...Array(5).fill(0.025), ...Array(5).fill(0.05)].forEach((want, t) => expectClose(s.at(t), want, `t=${t}`));
  });

  it('equals the chainable port, and total 0 is the base rate', () => {
    const ref = torchChained(base, [torch.constant(1 / 3, 4)], 12);
    const s = build({ name: 'constant', factor: 1 / 3, total: 4 });
    ref.forEach((want, t) => expectClose(s.at(t), want, `t=${t}`));
    expect(build({ name: 'constant', factor: 0.5, total: 0 }).at(0)).toBe(base);
  });
});

describe('product and cycle_momentum (a CyclicLR inside PyTorch’s ChainedScheduler sets the momentum)', () => {
  const withCycler = coreBuilder([...schedules, momentumCycler], { base, runTotal: 30, stepsPerEpoch: 1 });

  it('takes the momentum of the part that cycles it, and multiplies the rates as before', () => {
    const s = withCycler({
      name: 'product',
      parts: [
        { name: 'step', stepSize: 10, gamma: 0.5 },
        { name: 'momentum-cycler', cycleMomentum: true },
      ],
    });
    for (let t = 0; t < 30; t++) {
      expect(s.momentum!(t)).toBe(0.9 - t / 1000);
      expectClose(s.at(t), base * 0.5 ** Math.floor(t / 10), `t=${t}`);
    }
    expect(withCycler({ name: 'product', parts: [{ name: 'momentum-cycler' }] }).momentum).toBeUndefined();
  });

  it('refuses two parts that cycle it', () => {
    const cycling = { name: 'momentum-cycler', cycleMomentum: true };
    expect(issuePaths(() => withCycler({ name: 'product', parts: [cycling, cycling] }))).toEqual([
      'schedule.parts.1.cycleMomentum',
    ]);
  });
});
