/**
 * Independent ports of the reference implementations (Keras CosineDecay, the classic
 * `cosine_decay_with_warmup`, PyTorch CosineAnnealingWarmRestarts), used only by tests: this
 * package's unit tests and the CLI's `exp schedule --json` test
 * (`@anneal/schedule-cosine-warmup/reference`). Not exported from the index and never used by the
 * schedules themselves, so a test comparing the two compares two independent computations.
 */

/**
 * Port of keras.optimizers.schedules.CosineDecay(initial_learning_rate, decay_steps, alpha,
 * warmup_target, warmup_steps).__call__ (Keras 3), in float64. It equals our cosine-warmup with
 * hold 0, warmupStart = initial_learning_rate, base = warmup_target, epsilon = alpha · target,
 * total = warmup_steps + decay_steps.
 */
export function kerasCosineDecay(
  initial: number,
  decaySteps: number,
  alpha: number,
  warmupTarget: number,
  warmupSteps: number,
  step: number,
): number {
  const globalStepRecomp = Math.min(step, decaySteps + warmupSteps);
  if (globalStepRecomp < warmupSteps) {
    const completedFraction = globalStepRecomp / warmupSteps;
    return (warmupTarget - initial) * completedFraction + initial;
  }
  const completedFraction = (globalStepRecomp - warmupSteps) / decaySteps;
  const cosineDecayed = 0.5 * (1 + Math.cos(Math.PI * completedFraction));
  const decayed = (1 - alpha) * cosineDecayed + alpha;
  return warmupTarget * decayed;
}

/**
 * Literal port of the classic `cosine_decay_with_warmup` (Tony607/Keras_Bag_of_Tricks,
 * warmup_cosine_decay_scheduler.py; the reference post in /work/shared/reference describes it but
 * carries no code). Its conventions against our spec:
 * - the hold test is `global_step > warmup + hold`, so t = W + H counts as hold there and as the
 *   first decay step here; both give exactly base, since cos(0) = 1;
 * - past total_steps it returns 0 where we return epsilon, so it is compared with epsilon = 0;
 * - it allows warmup + hold = total (a 0/0 decay), which our check rejects.
 */
export function cosineDecayWithWarmup(
  globalStep: number,
  learningRateBase: number,
  totalSteps: number,
  warmupLearningRate = 0,
  warmupSteps = 0,
  holdBaseRateSteps = 0,
): number {
  if (totalSteps < warmupSteps) throw new Error('total_steps must be larger or equal to warmup_steps.');
  let learningRate =
    0.5 *
    learningRateBase *
    (1 +
      Math.cos(
        (Math.PI * (globalStep - warmupSteps - holdBaseRateSteps)) / (totalSteps - warmupSteps - holdBaseRateSteps),
      ));
  if (holdBaseRateSteps > 0)
    learningRate = globalStep > warmupSteps + holdBaseRateSteps ? learningRate : learningRateBase;
  if (warmupSteps > 0) {
    if (learningRateBase < warmupLearningRate)
      throw new Error('learning_rate_base must be larger or equal to warmup_learning_rate.');
    const slope = (learningRateBase - warmupLearningRate) / warmupSteps;
    const warmupRate = slope * globalStep + warmupLearningRate;
    learningRate = globalStep < warmupSteps ? warmupRate : learningRate;
  }
  return globalStep > totalSteps ? 0 : learningRate;
}

/**
 * Port of PyTorch CosineAnnealingWarmRestarts: the T_cur / T_i bookkeeping of its step() (called
 * with epoch=None), then get_lr. The restart counter and `decay` are our extension; decay = 1 is
 * PyTorch exactly.
 */
export function torchWarmRestarts(
  base: number,
  T0: number,
  Tmult: number,
  etaMin: number,
  decay: number,
  steps: number,
): number[] {
  let Tcur = 0;
  let Ti = T0;
  let restarts = 0;
  const lrs: number[] = [];
  for (let lastEpoch = 0; lastEpoch < steps; lastEpoch++) {
    if (lastEpoch > 0) {
      Tcur = Tcur + 1;
      if (Tcur >= Ti) {
        Tcur = Tcur - Ti;
        Ti = Ti * Tmult;
        restarts++;
      }
    }
    const baseLr = base * decay ** restarts;
    lrs.push(etaMin + ((baseLr - etaMin) * (1 + Math.cos((Math.PI * Tcur) / Ti))) / 2);
  }
  return lrs;
}

/**
 * Port of keras.optimizers.schedules.CosineDecayRestarts(initial_learning_rate,
 * first_decay_steps, t_mul, m_mul, alpha).__call__ (Keras 3), in float64: the restart index
 * from a logarithm when t_mul ≠ 1, and m_mul scaling the cosine above the floor alpha.
 */
export function kerasCosineDecayRestarts(
  initial: number,
  firstDecaySteps: number,
  tMul: number,
  mMul: number,
  alpha: number,
  step: number,
): number {
  let completedFraction = step / firstDecaySteps;
  let iRestart: number;
  if (tMul === 1) {
    iRestart = Math.floor(completedFraction);
    completedFraction -= iRestart;
  } else {
    iRestart = Math.floor(Math.log(1 - completedFraction * (1 - tMul)) / Math.log(tMul));
    const sumR = (1 - tMul ** iRestart) / (1 - tMul);
    completedFraction = (completedFraction - sumR) / tMul ** iRestart;
  }
  const mFac = mMul ** iRestart;
  const cosineDecayed = 0.5 * mFac * (1 + Math.cos(Math.PI * completedFraction));
  const decayed = (1 - alpha) * cosineDecayed + alpha;
  return initial * decayed;
}

/** An optax schedule: a function of the step count. */
export type OptaxSchedule = (count: number) => number;

/**
 * Port of optax.polynomial_schedule (linear_schedule is power 1), with its degenerate case:
 * transition_steps ≤ 0 gives the constant init_value.
 */
export function optaxPolynomialSchedule(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  transitionBegin = 0,
): OptaxSchedule {
  if (transitionSteps <= 0) return () => initValue;
  const begin = Math.max(transitionBegin, 0);
  return (count) => {
    const c = Math.min(Math.max(count - begin, 0), transitionSteps);
    const frac = 1 - c / transitionSteps;
    return (initValue - endValue) * frac ** power + endValue;
  };
}

/** Port of optax.cosine_decay_schedule(init_value, decay_steps, alpha, exponent); it raises for decay_steps ≤ 0. */
export function optaxCosineDecaySchedule(
  initValue: number,
  decaySteps: number,
  alpha = 0,
  exponent = 1,
): OptaxSchedule {
  if (!(decaySteps > 0)) throw new Error('The cosine_decay_schedule requires positive decay_steps!');
  return (count) => {
    const c = Math.min(count, decaySteps);
    const cosineDecay = 0.5 * (1 + Math.cos((Math.PI * c) / decaySteps));
    const decayed = (1 - alpha) * cosineDecay ** exponent + alpha;
    return initValue * decayed;
  };
}

/** Port of optax.join_schedules: past each boundary the next schedule runs on `count − boundary`. */
export function optaxJoinSchedules(schedules: OptaxSchedule[], boundaries: number[]): OptaxSchedule {
  return (count) => {
    let output = schedules[0](count);
    boundaries.forEach((boundary, i) => {
      if (count >= boundary) output = schedules[i + 1](count - boundary);
    });
    return output;
  };
}

/** Port of optax.warmup_cosine_decay_schedule: linear warm-up, then cosine over decay_steps − warmup_steps. */
export function optaxWarmupCosineDecaySchedule(
  initValue: number,
  peakValue: number,
  warmupSteps: number,
  decaySteps: number,
  endValue = 0,
  exponent = 1,
): OptaxSchedule {
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return optaxJoinSchedules(
    [
      optaxPolynomialSchedule(initValue, peakValue, 1, warmupSteps),
      optaxCosineDecaySchedule(peakValue, decaySteps - warmupSteps, alpha, exponent),
    ],
    [warmupSteps],
  );
}

/** The keyword arguments of one optax.sgdr_schedule cycle. */
export interface OptaxCosineKwargs {
  init_value: number;
  peak_value: number;
  warmup_steps: number;
  decay_steps: number;
  end_value?: number;
  exponent?: number;
}

/** Port of optax.sgdr_schedule: warm-up cosine cycles joined at the running sum of their decay_steps. */
export function optaxSgdrSchedule(cosineKwargs: OptaxCosineKwargs[]): OptaxSchedule {
  const boundaries: number[] = [];
  const schedules: OptaxSchedule[] = [];
  let step = 0;
  for (const k of cosineKwargs) {
    schedules.push(
      optaxWarmupCosineDecaySchedule(
        k.init_value,
        k.peak_value,
        k.warmup_steps,
        k.decay_steps,
        k.end_value,
        k.exponent,
      ),
    );
    boundaries.push(step + k.decay_steps);
    step += k.decay_steps;
  }
  return optaxJoinSchedules(schedules, boundaries.slice(0, -1));
}
