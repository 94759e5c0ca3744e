import type { ReduceOnPlateauConfig } from '@anneal/core';
import { Monitor } from './monitor.ts';

/**
 * Keras or PyTorch ReduceLROnPlateau as a modifier: it keeps a factor that multiplies whatever
 * the schedule says, rather than replacing the schedule (so warm-up and cosine decay still shape
 * the curve) — which is what PyTorch does when ReduceLROnPlateau and a schedule step one optimizer.
 */
export class PlateauModifier {
  factor = 1;
  private readonly monitor: Monitor;
  private wait = 0;
  private cooldownLeft = 0;

  constructor(private readonly config: ReduceOnPlateauConfig) {
    this.monitor = new Monitor(config.monitor, config.mode, config.minDelta, config.thresholdMode ?? 'abs');
  }

  /** Apply the factor, never going below minLr (unless the schedule itself is lower). */
  apply(lr: number): number {
    return this.factor === 1 ? lr : Math.max(lr * this.factor, Math.min(lr, this.config.minLr));
  }

  /** Called at each epoch end with the monitored value; returns true when the rate was reduced. */
  epochEnd(value: number | null, epoch: number, currentLr: number): boolean {
    return this.config.rules === 'pytorch'
      ? this.torchStep(value, epoch, currentLr)
      : this.kerasStep(value, epoch, currentLr);
  }

  /**
   * PyTorch ReduceLROnPlateau.step: count bad epochs (cooldown clears them), reduce once there
   * are more than `patience`, to max(lr · factor, min_lr) unless that moves the rate by ≤ eps.
   */
  private torchStep(value: number | null, epoch: number, currentLr: number): boolean {
    if (this.monitor.update(value, epoch)) this.wait = 0;
    else this.wait++;
    if (this.cooldownLeft > 0) {
      this.cooldownLeft--;
      this.wait = 0; // "ignore any bad epochs in cooldown"
    }
    if (this.wait <= this.config.patience) return false;
    this.cooldownLeft = this.config.cooldown;
    this.wait = 0;
    const newLr = Math.max(currentLr * this.config.factor, this.config.minLr);
    if (currentLr - newLr <= (this.config.eps ?? 1e-8)) return false;
    this.factor *= this.config.factor;
    return true;
  }

  /** Keras ReduceLROnPlateau.on_epoch_end. */
  private kerasStep(value: number | null, epoch: number, currentLr: number): boolean {
    if (this.cooldownLeft > 0) this.cooldownLeft--;
    if (this.monitor.update(value, epoch)) {
      this.wait = 0;
      return false;
    }
    if (this.cooldownLeft > 0) return false;
    if (++this.wait < this.config.patience) return false;
    if (currentLr <= this.config.minLr) return false;
    this.factor *= this.config.factor;
    this.cooldownLeft = this.config.cooldown;
    this.wait = 0;
    return true;
  }

  state() {
    return {
      factor: this.factor,
      wait: this.wait,
      cooldownLeft: this.cooldownLeft,
      best: this.monitor.best,
      bestEpoch: this.monitor.bestEpoch,
    };
  }

  restore(s: ReturnType<PlateauModifier['state']>): void {
    Object.assign(this, { factor: s.factor, wait: s.wait, cooldownLeft: s.cooldownLeft });
    this.monitor.best = s.best;
    this.monitor.bestEpoch = s.bestEpoch;
  }
}
