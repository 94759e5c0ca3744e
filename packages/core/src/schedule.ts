/** Time is counted in this unit from 0; `epoch` holds the rate for a whole epoch (Keras LearningRateScheduler), `step` changes it before every batch. */
export type ScheduleUnit = 'epoch' | 'step';

/** A named point on the time axis where a schedule changes phase (for summaries and plots). */
export interface Phase {
  name: string;
  start: number;
}

/**
 * Periodic schedules (step drops, cycles, restarts) list at most this many phases; beyond it a
 * marker each is noise on a plot and in `exp schedule`, so they list one phase for the lot.
 */
export const maxListedPhases = 64;

/** A learning-rate schedule: a pure function of time. No tfjs, no I/O, no hidden state. */
export interface Schedule {
  /** The learning rate at integer time `t ≥ 0`. */
  at(t: number): number;
  /** Phase starts, in increasing order, the first at 0. */
  phases: Phase[];
  /**
   * The momentum (SGD momentum, RMSProp momentum, Adam's beta1) at `t`, for schedules that cycle
   * it against the rate (PyTorch's cycle_momentum); absent, the optimizer's own stays.
   */
  momentum?(t: number): number;
}

/** A nested schedule spec as written in YAML: `{ name, ...options }`. */
export interface ScheduleSpec {
  name: string;
  [option: string]: unknown;
}

export interface ScheduleContext {
  /** `optimizer.learningRate`. */
  base: number;
  /** The run length in `unit`: the default for every `total` option. */
  total: number;
  unit: ScheduleUnit;
  /** Steps in one epoch, to turn `3ep` into steps. */
  stepsPerEpoch: number;
  /** Build a nested schedule (for `sequence`): validated like a top-level one; `path` locates its errors. */
  schedule(spec: ScheduleSpec, options: { total: number; path: string }): Schedule;
}
