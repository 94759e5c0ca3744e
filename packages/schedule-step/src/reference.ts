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

/** Port of Keras PolynomialDecay(initial, decay_steps, end_learning_rate, power, cycle=False). */
export function kerasPolynomialDecay(
  initial: number,
  decaySteps: number,
  end: number,
  power: number,
  step: number,
): number {
  const p = Math.min(step, decaySteps) / decaySteps;
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
