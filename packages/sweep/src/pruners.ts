import { AnnealError } from '@anneal/core';

/**
 * Pruners stop trials that are clearly bad before they finish, from the metric each trial
 * reports after every epoch. Both are pure state machines with JSON state, so a sweep can save
 * them beside its trials and a resumed sweep keeps every decision already made.
 *
 * - `asha`: asynchronous successive halving in its *stopping* form, as Ray Tune's
 *   AsyncHyperBandScheduler with one bracket (Li et al. 2020, "A System for Massively Parallel
 *   Hyperparameter Tuning", arXiv:1810.05934). Rungs sit at minEpochs·η^k epochs; the first
 *   time a trial reaches a rung its value is compared with the values recorded at that rung so
 *   far and the trial stops unless it is in the top 1/η (at or above the (1 − 1/η) percentile,
 *   numpy's linear interpolation). No trial waits for a rung to fill. We chose stopping over
 *   the paper's promotion form because anneal's trials are whole runs with a fixed schedule:
 *   promotion would pause a run and later resume it with a longer budget, which changes its
 *   learning-rate schedule (the schedule's `total` is the run length), so the promoted trial
 *   would no longer be the configuration that was ranked.
 * - `median`: Optuna's MedianPruner — after `minEpochs` and once `startupTrials` trials have
 *   completed, stop a trial whose best value so far is worse than the median of the completed
 *   trials' values at the same epoch.
 *
 * Values are compared in "larger is better" form: for `mode: min` the metric is negated, as
 * Ray Tune does.
 */

export type Decision = 'continue' | 'stop';

export interface PrunerConfig {
  name: 'asha' | 'median';
  metric: string;
  mode: 'min' | 'max';
  /** ASHA's grace period (first rung) / the median pruner's warm-up, in epochs. */
  minEpochs: number;
  /** ASHA's η. */
  reductionFactor: number;
  /** Median pruner: completed trials needed before it prunes anything. */
  startupTrials: number;
}

export interface Pruner {
  /** A trial finished epoch `epoch` (1-based count of epochs done) with this metric value. */
  report(trial: string, epoch: number, value: number | null): Decision;
  /** A trial ran to its end (only completed trials teach the median pruner). */
  complete(trial: string): void;
  /** Trials stopped so far, with the epoch of the decision. */
  readonly stopped: ReadonlyMap<string, number>;
  toJSON(): PrunerState;
}

export interface PrunerState {
  name: PrunerConfig['name'];
  /** ASHA: milestone → trial → value; median: trial → epoch → value (as strings, JSON keys). */
  records: Record<string, Record<string, number>>;
  completed: string[];
  stopped: Record<string, number>;
}

/** numpy.percentile with the default linear interpolation. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/**
 * ASHA's rungs: minEpochs · η^k for every k before the run's last epoch, largest first. (Ray
 * Tune also keeps a rung at max_t; stopping a trial at its last epoch saves nothing, so we don't.)
 */
export function ashaRungs(minEpochs: number, reductionFactor: number, maxEpochs: number): number[] {
  const rungs: number[] = [];
  for (let r = minEpochs; r < maxEpochs; r *= reductionFactor) rungs.push(r);
  return rungs.reverse();
}

const signed = (mode: 'min' | 'max', v: number) => (mode === 'min' ? -v : v);

abstract class BasePruner implements Pruner {
  protected records = new Map<string, Map<string, number>>();
  protected completed = new Set<string>();
  readonly stopped = new Map<string, number>();

  constructor(
    protected readonly config: PrunerConfig,
    state?: PrunerState,
  ) {
    if (state) {
      for (const [k, v] of Object.entries(state.records)) this.records.set(k, new Map(Object.entries(v)));
      for (const id of state.completed) this.completed.add(id);
      for (const [id, e] of Object.entries(state.stopped)) this.stopped.set(id, e);
    }
  }

  protected record(group: string, key: string, value: number): void {
    if (!this.records.has(group)) this.records.set(group, new Map());
    this.records.get(group)!.set(key, value);
  }

  report(trial: string, epoch: number, value: number | null): Decision {
    // A stop already decided holds at the same epoch: a trial rerun after a kill (stopped before
    // its summary said so) is stopped where it was, not earlier.
    const at = this.stopped.get(trial);
    if (at !== undefined) return epoch >= at ? 'stop' : 'continue';
    const decision = this.decide(trial, epoch, value === null || Number.isNaN(value) ? null : value);
    if (decision === 'stop') this.stopped.set(trial, epoch);
    return decision;
  }

  protected abstract decide(trial: string, epoch: number, value: number | null): Decision;

  complete(trial: string): void {
    this.completed.add(trial);
    // A stop that came too late (a queue trial that finished while the controller was away) stopped nothing.
    this.stopped.delete(trial);
  }

  toJSON(): PrunerState {
    return {
      name: this.config.name,
      records: Object.fromEntries([...this.records].map(([k, m]) => [k, Object.fromEntries(m)])),
      completed: [...this.completed],
      stopped: Object.fromEntries(this.stopped),
    };
  }
}

class AshaPruner extends BasePruner {
  private readonly rungs: number[];

  constructor(config: PrunerConfig, maxEpochs: number, state?: PrunerState) {
    super(config, state);
    this.rungs = ashaRungs(config.minEpochs, config.reductionFactor, maxEpochs);
  }

  // Ray Tune's _Bracket.on_result: the largest rung reached and not yet recorded decides.
  protected decide(trial: string, epoch: number, value: number | null): Decision {
    for (const milestone of this.rungs) {
      const recorded = this.records.get(String(milestone));
      if (epoch < milestone || recorded?.has(trial)) continue;
      if (value === null) return 'continue'; // nothing to judge by (Ray Tune warns and records nothing)
      const v = signed(this.config.mode, value);
      const values = recorded ? [...recorded.values()] : [];
      const cutoff = values.length ? percentile(values, (1 - 1 / this.config.reductionFactor) * 100) : null;
      this.record(String(milestone), trial, v);
      return cutoff !== null && v < cutoff ? 'stop' : 'continue';
    }
    return 'continue';
  }
}

class MedianPruner extends BasePruner {
  // Optuna's PercentilePruner(50): compares the trial's best value so far with the median of
  // the completed trials' values at this epoch.
  protected decide(trial: string, epoch: number, value: number | null): Decision {
    if (value !== null) this.record(trial, String(epoch), signed(this.config.mode, value));
    const completed = [...this.completed];
    if (completed.length === 0 || completed.length < this.config.startupTrials) return 'continue';
    if (epoch < this.config.minEpochs) return 'continue';
    const own = [...(this.records.get(trial)?.values() ?? [])];
    if (own.length === 0) return 'stop'; // Optuna prunes a trial whose values are all NaN
    const best = Math.max(...own);
    const atEpoch = completed
      .map((id) => this.records.get(id)?.get(String(epoch)))
      .filter((v): v is number => v !== undefined);
    if (atEpoch.length === 0) return 'continue';
    return best < percentile(atEpoch, 50) ? 'stop' : 'continue';
  }
}

export function createPruner(config: PrunerConfig, maxEpochs: number, state?: PrunerState): Pruner {
  if (state && state.name !== config.name)
    throw new AnnealError(
      'DIR_DAMAGED',
      `the saved pruner state is for ${state.name}, the sweep now asks for ${config.name}`,
    );
  return config.name === 'asha' ? new AshaPruner(config, maxEpochs, state) : new MedianPruner(config, state);
}

/**
 * Expected epochs per trial under ASHA if a fraction 1/η of trials goes on past each rung
 * (the synchronous idealisation; the asynchronous form stops a little less at first).
 */
export function ashaExpectedEpochs(minEpochs: number, reductionFactor: number, maxEpochs: number): number {
  const rungs = ashaRungs(minEpochs, reductionFactor, maxEpochs).reverse();
  let expected = rungs[0] ?? maxEpochs;
  let survive = 1;
  for (let i = 0; i < rungs.length; i++) {
    survive /= reductionFactor;
    const next = rungs[i + 1] ?? maxEpochs;
    expected += survive * (next - rungs[i]);
  }
  return expected;
}
