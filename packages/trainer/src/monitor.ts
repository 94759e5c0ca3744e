import { AnnealError, type ExperimentConfig, metricNames, type MonitorMode } from '@anneal/core';

/**
 * "Has the monitored metric improved?" exactly as Keras's callbacks decide it: `auto` means
 * larger is better for accuracy-like names, smaller otherwise; an improvement must beat the
 * best by more than `minDelta`.
 */
export class Monitor {
  readonly better: 'min' | 'max';
  best: number;
  bestEpoch = -1;

  constructor(
    readonly metric: string,
    mode: MonitorMode = 'auto',
    readonly minDelta = 0,
    /** `rel` scales minDelta by the best value, as PyTorch's threshold_mode 'rel' does. */
    readonly thresholdMode: 'abs' | 'rel' = 'abs',
  ) {
    this.better = mode === 'auto' ? (/acc/.test(metric) ? 'max' : 'min') : mode;
    this.best = this.better === 'min' ? Infinity : -Infinity;
  }

  /** Record `value` at `epoch`; true when it is an improvement. A missing metric never improves. */
  update(value: number | null | undefined, epoch: number): boolean {
    if (value === null || value === undefined || !Number.isFinite(value)) return false;
    const improved = this.beats(value);
    if (improved) {
      this.best = value;
      this.bestEpoch = epoch;
    }
    return improved;
  }

  /** PyTorch's is_better: rel compares with best · (1 ∓ threshold), abs with best ∓ threshold. */
  private beats(value: number): boolean {
    if (this.thresholdMode === 'rel') {
      return this.better === 'min' ? value < this.best * (1 - this.minDelta) : value > this.best * (this.minDelta + 1);
    }
    return this.better === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
  }
}

/** The value of `metric` in an epoch row, or an error naming the metrics that exist. */
export function metricOf(row: Record<string, unknown>, metric: string): number | null {
  if (!(metric in row))
    throw new AnnealError('CONFIG_INVALID', `unknown metric "${metric}"`, {
      hint: `use one of ${metricNames.join(', ')}`,
    });
  return row[metric] as number | null;
}

/**
 * What "best" means for checkpoints/best and summary.json: `train.checkpoint.monitor`, else the
 * early-stopping metric (so `restoreBest` restores what early stopping judged best, as Keras
 * does), else val_loss.
 */
export function bestMonitor(config: ExperimentConfig): Monitor {
  const c = config.train.checkpoint;
  const es = config.train.earlyStopping;
  return c ? new Monitor(c.monitor, c.mode) : es ? new Monitor(es.monitor, es.mode) : new Monitor('val_loss');
}
