/**
 * Independent ports of the reference libraries (PyTorch lr_scheduler, Keras schedules), used only
 * by tests: this package's unit tests and the CLI's `exp schedule --json` test
 * (`@anneal/schedule-step/reference`). Not exported from the index and never used by the
 * schedules themselves, so a test comparing the two compares two independent computations.
 * Each follows its library's own arithmetic (chainable updates included), in float64.
 */

/** Port of PyTorch StepLR's chainable form: the rate is multiplied by gamma when epoch % step_size == 0 (never at 0). */
export function torchStepLR(base: number, stepSize: number, gamma: number, steps: number): number[] {
  const lrs: number[] = [];
  let lr = base;
  for (let lastEpoch = 0; lastEpoch < steps; lastEpoch++) {
    if (lastEpoch !== 0 && lastEpoch % stepSize === 0) lr *= gamma;
    lrs.push(lr);
  }
  return lrs;
}

/**
 * Port of PyTorch MultiStepLR: milestones are a Counter, and at an epoch that is a milestone
 * the current rate is multiplied by gamma ** count (so a repeated milestone drops twice).
 */
export function torchMultiStepLR(base: number, milestones: number[], gamma: number, steps: number): number[] {
  const counter = new Map<number, number>();
  for (const m of milestones) counter.set(m, (counter.get(m) ?? 0) + 1);
  const lrs: number[] = [];
  let lr = base;
  for (let lastEpoch = 0; lastEpoch < steps; lastEpoch++) {
    const count = counter.get(lastEpoch);
    if (count !== undefined) lr *= gamma ** count;
    lrs.push(lr);
  }
  return lrs;
}

/** Port of PyTorch ExponentialLR's chainable form: multiply by gamma at every step after the first. */
export function torchExponentialLR(base: number, gamma: number, steps: number): number[] {
  const lrs = [base];
  for (let lastEpoch = 1; lastEpoch < steps; lastEpoch++) lrs.push(lrs[lastEpoch - 1] * gamma);
  return lrs;
}

/** Port of PyTorch PolynomialLR's chainable form (no floor): each step multiplies by a ratio of decay factors. */
export function torchPolynomialLR(base: number, totalIters: number, power: number, steps: number): number[] {
  const lrs: number[] = [];
  let lr = base;
  for (let lastEpoch = 0; lastEpoch < steps; lastEpoch++) {
    if (lastEpoch !== 0 && lastEpoch <= totalIters) {
      lr *= ((1 - lastEpoch / totalIters) / (1 - (lastEpoch - 1) / totalIters)) ** power;
    }
    lrs.push(lr);
  }
  return lrs;
}

/** Port of Keras PolynomialDecay(initial, decay_steps, end_learning_rate, power, cycle).__call__. */
export function kerasPolynomialDecay(
  initial: number,
  decaySteps: number,
  end: number,
  power: number,
  step: number,
  cycle = false,
): number {
  let globalStep = step;
  let steps = decaySteps;
  if (cycle) {
    // "Find the first multiple of decay_steps that is bigger than global_step"; 1 at step 0.
    const multiplier = globalStep === 0 ? 1 : Math.ceil(globalStep / decaySteps);
    steps = steps * multiplier;
  } else {
    globalStep = Math.min(globalStep, steps);
  }
  const p = globalStep / steps;
  return (initial - end) * (1 - p) ** power + end;
}

/** Port of PyTorch LinearLR's chainable get_lr (it needs start_factor > 0, as PyTorch demands). */
export function torchLinearLR(base: number, s: number, e: number, totalIters: number, steps: number): number[] {
  const lrs: number[] = [];
  let lr = base;
  for (let lastEpoch = 0; lastEpoch < steps; lastEpoch++) {
    if (lastEpoch === 0) lr *= s;
    else if (lastEpoch <= totalIters) lr *= 1 + (e - s) / (totalIters * s + (lastEpoch - 1) * (e - s));
    lrs.push(lr);
  }
  return lrs;
}

/**
 * A PyTorch scheduler's chainable `get_lr` for one param group: the new rate from the group's
 * current rate at `last_epoch` (0 is the step its constructor takes).
 */
export type TorchChainable = (lr: number, lastEpoch: number) => number;

/** The chainable get_lr of each multiplicative PyTorch scheduler, as in torch/optim/lr_scheduler.py. */
export const torchChainable = {
  step:
    (stepSize: number, gamma = 0.1): TorchChainable =>
    (lr, e) =>
      e === 0 || e % stepSize !== 0 ? lr : lr * gamma,
  multiStep: (milestones: number[], gamma = 0.1): TorchChainable => {
    const counter = new Map<number, number>();
    for (const m of milestones) counter.set(m, (counter.get(m) ?? 0) + 1);
    return (lr, e) => (counter.has(e) ? lr * gamma ** counter.get(e)! : lr);
  },
  exponential:
    (gamma: number): TorchChainable =>
    (lr, e) =>
      e === 0 ? lr : lr * gamma,
  constant:
    (factor = 1 / 3, totalIters = 5): TorchChainable =>
    (lr, e) => {
      if (e === 0) return lr * factor;
      if (e !== totalIters) return lr;
      return lr * (1 / factor);
    },
  linear:
    (s = 1 / 3, end = 1, totalIters = 5): TorchChainable =>
    (lr, e) => {
      if (e === 0) return lr * s;
      if (e > totalIters) return lr;
      return lr * (1 + (end - s) / (totalIters * s + (e - 1) * (end - s)));
    },
  polynomial:
    (totalIters = 5, power = 1): TorchChainable =>
    (lr, e) => {
      if (e === 0 || e > totalIters) return lr;
      return lr * ((1 - e / totalIters) / (1 - (e - 1) / totalIters)) ** power;
    },
};

/**
 * Port of PyTorch ChainedScheduler (and of stepping several schedulers on one optimizer): the
 * schedulers are built in order, each taking its constructor step on the shared rate, then each
 * `step()` steps them all in order. Returns the rate at each epoch 0 … steps − 1.
 */
export function torchChained(base: number, schedulers: TorchChainable[], steps: number): number[] {
  let lr = base;
  for (const s of schedulers) lr = s(lr, 0);
  const lrs = [lr];
  for (let e = 1; e < steps; e++) {
    for (const s of schedulers) lr = s(lr, e);
    lrs.push(lr);
  }
  return lrs;
}

/** Port of Keras ExponentialDecay(initial, decay_steps, decay_rate, staircase).__call__. */
export function kerasExponentialDecay(
  initial: number,
  decaySteps: number,
  decayRate: number,
  staircase: boolean,
  step: number,
): number {
  let p = step / decaySteps;
  if (staircase) p = Math.floor(p);
  return initial * decayRate ** p;
}

/** Port of Keras InverseTimeDecay(initial, decay_steps, decay_rate, staircase).__call__. */
export function kerasInverseTimeDecay(
  initial: number,
  decaySteps: number,
  decayRate: number,
  staircase: boolean,
  step: number,
): number {
  let p = step / decaySteps;
  if (staircase) p = Math.floor(p);
  const denom = 1 + decayRate * p;
  return initial / denom;
}

/**
 * Port of Keras PiecewiseConstantDecay(boundaries, values).__call__: the predicates it builds
 * (`x <= b0`, `low < x <= high` for each pair, `x > b_last`), the first true one choosing.
 */
export function kerasPiecewiseConstantDecay(boundaries: number[], values: number[], x: number): number {
  const pairs: [boolean, number][] = [
    [x <= boundaries[0], values[0]],
    [x > boundaries[boundaries.length - 1], values[values.length - 1]],
  ];
  for (let i = 0; i + 1 < boundaries.length; i++)
    pairs.push([x > boundaries[i] && x <= boundaries[i + 1], values[i + 1]]);
  return pairs.find(([pred]) => pred)![1];
}

/**
 * Port of optax.exponential_decay(init_value, transition_steps, decay_rate, transition_begin,
 * staircase, end_value) in float64, including its degenerate options: transition_steps ≤ 0 or
 * decay_rate = 0 give the constant init_value, a negative transition_begin counts as 0.
 */
export function optaxExponentialDecay(
  initValue: number,
  transitionSteps: number,
  decayRate: number,
  transitionBegin = 0,
  staircase = false,
  endValue?: number,
): (count: number) => number {
  if (transitionSteps <= 0) return () => initValue;
  if (decayRate === 0) return () => initValue;
  // optax warns and counts a negative transition_begin as 0.
  const begin = Math.max(transitionBegin, 0);
  const clip = endValue === undefined ? undefined : decayRate < 1 ? Math.max : Math.min;
  return (count) => {
    const decreasedCount = count - begin;
    let p = decreasedCount / transitionSteps;
    if (staircase) p = Math.floor(p);
    let decayed = decreasedCount <= 0 ? initValue : initValue * decayRate ** p;
    if (clip !== undefined) decayed = clip(decayed, endValue!);
    return decayed;
  };
}

/**
 * Port of optax.polynomial_schedule(init_value, end_value, power, transition_steps,
 * transition_begin) in float64 (linear_schedule is its power 1): init_value before the begin,
 * (init − end)·(1 − clip(t − begin, 0, steps)/steps)^power + end after; transition_steps ≤ 0
 * gives the constant init_value, a negative transition_begin counts as 0.
 */
export function optaxPolynomialSchedule(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  transitionBegin = 0,
): (count: number) => number {
  if (transitionSteps <= 0) return () => initValue;
  const begin = Math.max(transitionBegin, 0);
  return (count) => {
    const clipped = Math.min(Math.max(count - begin, 0), transitionSteps);
    const frac = 1 - clipped / transitionSteps;
    return (initValue - endValue) * frac ** power + endValue;
  };
}

/**
 * Port of optax.piecewise_constant_schedule(init_value, boundaries_and_scales) in float64: the
 * value is multiplied by each scale whose boundary is ≤ count, in the order of the boundaries
 * (optax's indicator max(0, sign(boundary − count)) is 1 before the boundary, 0 from it on).
 */
export function optaxPiecewiseConstantSchedule(
  initValue: number,
  boundariesAndScales: Record<number, number> = {},
): (count: number) => number {
  const sorted = Object.entries(boundariesAndScales)
    .map(([b, s]) => [Number(b), s] as const)
    .sort(([a], [b]) => a - b);
  return (count) => {
    let v = initValue;
    for (const [threshold, scale] of sorted) {
      const indicator = Math.max(0, Math.sign(threshold - count));
      v = v * indicator + (1 - indicator) * scale * v;
    }
    return v;
  };
}

/**
 * Port of optax.piecewise_interpolate_schedule(interpolate_type, init_value,
 * boundaries_and_scales) in float64, as optax computes it: the cumulative products of init_value
 * and the sorted scales, an indicator per interval [bounds[i], bounds[i+1]) dotted with the
 * interpolated values, plus the last value from the last boundary on.
 */
export function optaxPiecewiseInterpolateSchedule(
  interpolateType: 'linear' | 'cosine',
  initValue: number,
  boundariesAndScales: Record<number, number> = {},
): (count: number) => number {
  const sorted = Object.entries(boundariesAndScales)
    .map(([b, s]) => [Number(b), s] as const)
    .sort(([a], [b]) => a - b);
  if (sorted.some(([, s]) => s < 0))
    throw new Error('`piecewise_interpolate_schedule` expects non-negative scale factors');
  const interpolate =
    interpolateType === 'linear'
      ? (start: number, end: number, pct: number) => (end - start) * pct + start
      : (start: number, end: number, pct: number) => end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
  const bounds = [0, ...sorted.map(([b]) => b)];
  const values = [initValue];
  for (const [, s] of sorted) values.push(values[values.length - 1] * s);
  return (count) => {
    let dot = 0;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const indicator = bounds[i] <= count && count < bounds[i + 1] ? 1 : 0;
      const size = Math.max(bounds[i + 1] - bounds[i], 1);
      dot += indicator * interpolate(values[i], values[i + 1], (count - bounds[i]) / size);
    }
    return dot + (bounds[bounds.length - 1] <= count ? 1 : 0) * values[values.length - 1];
  };
}

/** Port of optax.linear_onecycle_schedule: piecewise_interpolate_schedule('linear', …) with int(pct·T) boundaries. */
export function optaxLinearOnecycleSchedule(
  transitionSteps: number,
  peakValue: number,
  pctStart = 0.3,
  pctFinal = 0.85,
  divFactor = 25.0,
  finalDivFactor = 1e4,
): (count: number) => number {
  if (transitionSteps <= 0)
    throw new Error('A linear onecycle schedule was set with a non-positive `transition_steps`');
  // A dict: a later key equal to an earlier one replaces its scale, as in Python.
  const scales: Record<number, number> = {};
  scales[Math.trunc(pctStart * transitionSteps)] = divFactor;
  scales[Math.trunc(pctFinal * transitionSteps)] = 1.0 / divFactor;
  scales[transitionSteps] = 1.0 / finalDivFactor;
  return optaxPiecewiseInterpolateSchedule('linear', peakValue / divFactor, scales);
}

/** Port of optax.cosine_onecycle_schedule: piecewise_interpolate_schedule('cosine', …) with an int(pct·T) boundary. */
export function optaxCosineOnecycleSchedule(
  transitionSteps: number,
  peakValue: number,
  pctStart = 0.3,
  divFactor = 25.0,
  finalDivFactor = 1e4,
): (count: number) => number {
  if (transitionSteps <= 0)
    throw new Error('A cosine onecycle schedule was set with a non-positive `transition_steps`');
  const scales: Record<number, number> = {};
  scales[Math.trunc(pctStart * transitionSteps)] = divFactor;
  scales[Math.trunc(transitionSteps)] = 1.0 / (divFactor * finalDivFactor);
  return optaxPiecewiseInterpolateSchedule('cosine', peakValue / divFactor, scales);
}
