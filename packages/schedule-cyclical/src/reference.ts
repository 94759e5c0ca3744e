/**
 * Independent ports of the reference implementations (PyTorch CyclicLR and OneCycleLR), plus the
 * same curves restated from their geometric description, used only by tests: this package's unit
 * tests and the CLI's `exp schedule --json` test (`@anneal/schedule-cyclical/reference`). Not
 * exported from the index and never used by the schedules themselves, so a test comparing the two
 * compares two independent computations.
 */

export type Mode = 'triangular' | 'triangular2' | 'exp_range';

/** Literal port of PyTorch CyclicLR: constructor defaults, step() advancing last_epoch, get_lr. */
export class TorchCyclicLR {
  lastEpoch = -1;
  private readonly totalSize: number;
  private readonly stepRatio: number;
  private readonly scaleFn: (x: number) => number;
  private readonly scaleMode: 'cycle' | 'iterations';

  constructor(
    private readonly baseLr: number,
    private readonly maxLr: number,
    stepSizeUp: number,
    stepSizeDown: number | null,
    mode: Mode,
    gamma: number,
    /** cycle_momentum's base_momentum and max_momentum; `momentum` is then set by each step. */
    private readonly momenta?: { base: number; max: number },
  ) {
    const down = stepSizeDown ?? stepSizeUp;
    this.totalSize = stepSizeUp + down;
    this.stepRatio = stepSizeUp / this.totalSize;
    if (mode === 'triangular') [this.scaleFn, this.scaleMode] = [() => 1.0, 'cycle'];
    else if (mode === 'triangular2') [this.scaleFn, this.scaleMode] = [(x) => 1 / 2.0 ** (x - 1), 'cycle'];
    else [this.scaleFn, this.scaleMode] = [(x) => gamma ** x, 'iterations'];
  }

  step(): number {
    this.lastEpoch += 1;
    return this.getLr();
  }

  /** The momentum get_lr set (cycle_momentum), NaN without it. */
  momentum = Number.NaN;

  private getLr(): number {
    const cycle = Math.floor(1 + this.lastEpoch / this.totalSize);
    const x = 1.0 + this.lastEpoch / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const baseHeight = (this.maxLr - this.baseLr) * scaleFactor;
    if (this.momenta) {
      const momentumHeight = (this.momenta.max - this.momenta.base) * scaleFactor;
      this.momentum =
        this.scaleMode === 'cycle'
          ? this.momenta.max - momentumHeight * this.scaleFn(cycle)
          : this.momenta.max - momentumHeight * this.scaleFn(this.lastEpoch);
    }
    return this.scaleMode === 'cycle'
      ? this.baseLr + baseHeight * this.scaleFn(cycle)
      : this.baseLr + baseHeight * this.scaleFn(this.lastEpoch);
  }
}

/**
 * The same wave from its geometric description, in integer time: position p in the cycle rises
 * for `up` steps and falls for `down`; the amplitude shrinks per cycle or per step.
 */
export function triangleWave(
  baseLr: number,
  maxLr: number,
  up: number,
  down: number,
  mode: Mode,
  gamma: number,
  t: number,
): number {
  const cycleIndex = Math.floor(t / (up + down));
  const p = t - cycleIndex * (up + down);
  const height = p <= up ? p / up : (up + down - p) / down;
  const amplitude = mode === 'triangular' ? 1 : mode === 'triangular2' ? 0.5 ** cycleIndex : gamma ** t;
  return baseLr + (maxLr - baseLr) * height * amplitude;
}

export type Strategy = 'cos' | 'linear';
type Group = { initial_lr: number; max_lr: number; min_lr: number; max_momentum: number; base_momentum: number };
type Momentum = 'max_momentum' | 'base_momentum';

/** Literal port of PyTorch OneCycleLR: _schedule_phases, the param-group keys, step() and get_lr. */
export class TorchOneCycleLR {
  lastEpoch = -1;
  private readonly group: Group;
  private readonly schedulePhases: {
    end_step: number;
    start_lr: keyof Group;
    end_lr: keyof Group;
    start_momentum: Momentum;
    end_momentum: Momentum;
  }[];
  /** The momentum get_lr set (cycle_momentum), NaN without it. */
  momentum = Number.NaN;

  constructor(
    maxLr: number,
    private readonly totalSteps: number,
    pctStart: number,
    private readonly annealStrategy: Strategy,
    divFactor: number,
    finalDivFactor: number,
    threePhase: boolean,
    /** cycle_momentum's base_momentum and max_momentum; `momentum` is then set by each step. */
    private readonly momenta?: { base: number; max: number },
  ) {
    const [max, base] = ['max_momentum', 'base_momentum'] as const;
    this.schedulePhases = threePhase
      ? [
          {
            end_step: pctStart * totalSteps - 1,
            start_lr: 'initial_lr',
            end_lr: 'max_lr',
            start_momentum: max,
            end_momentum: base,
          },
          {
            end_step: 2 * pctStart * totalSteps - 2,
            start_lr: 'max_lr',
            end_lr: 'initial_lr',
            start_momentum: base,
            end_momentum: max,
          },
          {
            end_step: totalSteps - 1,
            start_lr: 'initial_lr',
            end_lr: 'min_lr',
            start_momentum: max,
            end_momentum: max,
          },
        ]
      : [
          {
            end_step: pctStart * totalSteps - 1,
            start_lr: 'initial_lr',
            end_lr: 'max_lr',
            start_momentum: max,
            end_momentum: base,
          },
          { end_step: totalSteps - 1, start_lr: 'max_lr', end_lr: 'min_lr', start_momentum: base, end_momentum: max },
        ];
    const initialLr = maxLr / divFactor;
    this.group = {
      initial_lr: initialLr,
      max_lr: maxLr,
      min_lr: initialLr / finalDivFactor,
      max_momentum: momenta?.max ?? Number.NaN,
      base_momentum: momenta?.base ?? Number.NaN,
    };
  }

  step(): number {
    this.lastEpoch += 1;
    return this.getLr();
  }

  private annealFunc(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos') {
      const cosOut = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cosOut;
    }
    return (end - start) * pct + start;
  }

  private getLr(): number {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps)
      throw new Error(`Tried to step ${stepNum} times. The specified number of total steps is ${this.totalSteps}`);
    let startStep = 0;
    let computedLr = NaN;
    for (const [i, phase] of this.schedulePhases.entries()) {
      const endStep = phase.end_step;
      if (stepNum <= endStep || i === this.schedulePhases.length - 1) {
        const pct = (stepNum - startStep) / (endStep - startStep);
        computedLr = this.annealFunc(this.group[phase.start_lr], this.group[phase.end_lr], pct);
        if (this.momenta)
          this.momentum = this.annealFunc(this.group[phase.start_momentum], this.group[phase.end_momentum], pct);
        break;
      }
      startStep = phase.end_step;
    }
    return computedLr;
  }
}

/** The curve as interpolation through its knots (t, rate), cosine or linear between them. */
export function throughKnots(knots: [number, number][], strategy: Strategy, t: number): number {
  for (let i = 1; i < knots.length; i++) {
    const [t0, a] = knots[i - 1];
    const [t1, b] = knots[i];
    if (t <= t1 || i === knots.length - 1) {
      const u = (Math.min(t, t1) - t0) / (t1 - t0);
      return strategy === 'linear' ? a + (b - a) * u : b + ((a - b) * (1 + Math.cos(Math.PI * u))) / 2;
    }
  }
  throw new Error('no knots');
}
