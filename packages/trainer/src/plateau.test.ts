import { describe, expect, it } from 'vitest';
import { Monitor } from './monitor.ts';
import { PlateauModifier } from './plateau.ts';

const plateau = (o: Partial<ConstructorParameters<typeof PlateauModifier>[0]> = {}) =>
  new PlateauModifier({
    monitor: 'val_loss',
    mode: 'auto',
    factor: 0.5,
    patience: 2,
    minDelta: 0,
    cooldown: 0,
    minLr: 0,
    ...o,
  });

describe('Monitor (Keras improvement rules)', () => {
  it('treats accuracy as larger-is-better and losses as smaller-is-better under auto', () => {
    expect(new Monitor('val_acc').better).toBe('max');
    expect(new Monitor('loss').better).toBe('min');
    expect(new Monitor('loss', 'max').better).toBe('max');
  });

  it('needs to beat the best by more than minDelta, and ignores missing values', () => {
    const m = new Monitor('val_loss', 'auto', 0.1);
    expect(m.update(1, 0)).toBe(true);
    expect(m.update(0.95, 1)).toBe(false);
    expect(m.update(0.85, 2)).toBe(true);
    expect(m.update(null, 3)).toBe(false);
    expect(m.update(Number.NaN, 4)).toBe(false);
    expect([m.best, m.bestEpoch]).toEqual([0.85, 2]);
  });
});

describe('reduce on plateau (a modifier of the schedule)', () => {
  it('halves the rate after `patience` epochs without improvement, then waits again', () => {
    const p = plateau();
    const values = [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8];
    const reduced = values.map((v, epoch) => p.epochEnd(v, epoch, 0.1 * p.factor));
    // Keras: wait counts epochs without improvement; at wait ≥ patience the rate drops and wait resets.
    expect(reduced).toEqual([false, false, false, true, false, true, false]);
    expect(p.factor).toBe(0.25);
    expect(p.apply(0.2)).toBeCloseTo(0.05, 15);
  });

  it('honours cooldown and never goes below minLr', () => {
    const p = plateau({ cooldown: 2, minLr: 0.03, patience: 1 });
    const reduced = [1, 1, 1, 1, 1, 1].map((v, epoch) => p.epochEnd(v, epoch, 0.1 * p.factor));
    // Traced by hand through Keras's on_epoch_end: reduce at 1; cooldown covers 2; counter hits 0 at 3,
    // where wait restarts and reaches patience: reduce again; at 5 the rate (0.025) is already ≤ minLr.
    expect(reduced).toEqual([false, true, false, true, false, false]);
    expect(p.apply(0.1)).toBe(0.03);
    // A schedule already below the floor is left alone.
    expect(p.apply(0.01)).toBe(0.01);
  });

  it('saves and restores its state for resumed runs', () => {
    const p = plateau();
    [1, 1, 1].forEach((v, e) => p.epochEnd(v, e, 0.1));
    const q = plateau();
    q.restore(p.state());
    expect(q.state()).toEqual(p.state());
    expect(q.apply(1)).toBe(p.apply(1));
  });
});

/**
 * Port of PyTorch ReduceLROnPlateau (torch/optim/lr_scheduler.py) for one param group: step(),
 * is_better() and _reduce_lr(), in float64. The rate it holds after step(metrics[e]) is the rate
 * PyTorch's tests expect at targets[e].
 */
class TorchReduceLROnPlateau {
  lr: number;
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;

  constructor(
    lr: number,
    private readonly o: TorchOptions,
  ) {
    this.lr = lr;
    this.best = o.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode, threshold } = this.o;
    if (mode === 'min' && thresholdMode === 'rel') return a < best * (1 - threshold);
    if (mode === 'min' && thresholdMode === 'abs') return a < best - threshold;
    if (mode === 'max' && thresholdMode === 'rel') return a > best * (threshold + 1);
    return a > best + threshold;
  }

  step(current: number): void {
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.o.patience) {
      const newLr = Math.max(this.lr * this.o.factor, this.o.minLr);
      if (this.lr - newLr > this.o.eps) this.lr = newLr;
      this.cooldownCounter = this.o.cooldown;
      this.numBadEpochs = 0;
    }
  }
}

interface TorchOptions {
  mode: 'min' | 'max';
  factor: number;
  patience: number;
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  cooldown: number;
  minLr: number;
  eps: number;
}

/** PyTorch's defaults, as ReduceLROnPlateau's signature gives them. */
const torchDefaults: TorchOptions = {
  mode: 'min',
  factor: 0.1,
  patience: 10,
  threshold: 1e-4,
  thresholdMode: 'rel',
  cooldown: 0,
  minLr: 0,
  eps: 1e-8,
};

/** anneal's reduceOnPlateau for PyTorch's options, on a constant schedule at `base`: the rate after each epoch end. */
function annealRates(base: number, o: Partial<TorchOptions>, metrics: number[]): number[] {
  const t = { ...torchDefaults, ...o };
  const p = new PlateauModifier({
    monitor: 'val_loss',
    mode: t.mode,
    factor: t.factor,
    patience: t.patience,
    minDelta: t.threshold,
    cooldown: t.cooldown,
    minLr: t.minLr,
    rules: 'pytorch',
    thresholdMode: t.thresholdMode,
    eps: t.eps,
  });
  return metrics.map((m, epoch) => {
    p.epochEnd(m, epoch, p.apply(base));
    return p.apply(base);
  });
}

function torchRates(base: number, o: Partial<TorchOptions>, metrics: number[]): number[] {
  const s = new TorchReduceLROnPlateau(base, { ...torchDefaults, ...o });
  return metrics.map((m) => {
    s.step(m);
    return s.lr;
  });
}

const fill = (n: number, v: number) => Array<number>(n).fill(v);
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('reduce on plateau, rules: pytorch (test/optim/test_lrscheduler.py, test_reduce_lr_on_plateau*)', () => {
  const cases: { label: string; o: Partial<TorchOptions>; metrics: number[]; targets: number[] }[] = [
    {
      label: 'test_reduce_lr_on_plateau1: abs 0.01, patience 5, cooldown 5, steady improvement',
      o: { thresholdMode: 'abs', mode: 'min', threshold: 0.01, patience: 5, cooldown: 5 },
      metrics: range(20)
        .map((i) => 10 - i * 0.0167)
        .slice(0, 10),
      targets: fill(10, 0.5),
    },
    {
      label: 'test_reduce_lr_on_plateau2: abs 0.1, patience 5, cooldown 0',
      o: { patience: 5, cooldown: 0, thresholdMode: 'abs', mode: 'min', threshold: 0.1 },
      metrics: range(22).map((i) => 10 - i * 0.0165),
      targets: [...fill(6, 0.5), ...fill(7, 0.05), ...fill(7, 0.005), ...fill(2, 0.0005)],
    },
    {
      label: 'test_reduce_lr_on_plateau3: max, abs, patience 5, cooldown 5',
      o: { mode: 'max', patience: 5, cooldown: 5, thresholdMode: 'abs' },
      metrics: [...fill(2, -0.8), ...fill(20, -0.234)],
      targets: [...fill(2 + 6, 0.5), ...fill(5 + 6, 0.05), ...fill(4, 0.005)],
    },
    {
      label: 'test_reduce_lr_on_plateau4: max, rel 0.1, patience 3, growth 1.025 > 1.1^0.25',
      o: { mode: 'max', patience: 3, thresholdMode: 'rel', threshold: 0.1 },
      metrics: range(20).map((i) => 1.5 * 1.025 ** i),
      targets: fill(20, 0.5),
    },
    {
      label: 'test_reduce_lr_on_plateau5: max, rel 0.1, patience 5, cooldown 5, slow growth',
      o: { mode: 'max', thresholdMode: 'rel', threshold: 0.1, patience: 5, cooldown: 5 },
      metrics: range(20).map((i) => 1.5 * 1.005 ** i),
      targets: [...fill(6, 0.5), ...fill(5 + 6, 0.05), ...fill(4, 0.005)],
    },
    {
      label: 'test_reduce_lr_on_plateau6: min, rel 0.1, fast decline',
      o: { mode: 'min', thresholdMode: 'rel', threshold: 0.1 },
      metrics: range(20).map((i) => 1.5 * 0.85 ** i),
      targets: fill(20, 0.5),
    },
    {
      label: 'test_reduce_lr_on_plateau7: min, rel 0.1, patience 5, cooldown 5, a late improvement',
      o: { mode: 'min', thresholdMode: 'rel', threshold: 0.1, patience: 5, cooldown: 5 },
      metrics: [...fill(7, 1), 0.6, ...fill(12, 0.5)],
      targets: [...fill(6, 0.5), ...fill(5 + 6, 0.05), ...fill(4, 0.005)],
    },
    {
      label: 'test_reduce_lr_on_plateau8: min_lr 0.4 (first group), then eps stops further reductions',
      o: { mode: 'max', thresholdMode: 'rel', minLr: 0.4, threshold: 0.1, patience: 5, cooldown: 5 },
      metrics: range(20).map((i) => 1.5 * 1.005 ** i),
      targets: [...fill(6, 0.5), ...fill(14, 0.4)],
    },
    {
      label: 'test_reduce_lr_on_plateau8: min_lr 0.3 (second group)',
      o: { mode: 'max', thresholdMode: 'rel', minLr: 0.3, threshold: 0.1, patience: 5, cooldown: 5 },
      metrics: range(20).map((i) => 1.5 * 1.005 ** i),
      targets: [...fill(6, 0.5), ...fill(14, 0.3)],
    },
  ];

  it.each(cases)('$label', ({ o, metrics, targets }) => {
    const ours = annealRates(0.5, o, metrics);
    const port = torchRates(0.5, o, metrics);
    // PyTorch's test loop checks the first `epochs` targets (some lists run one longer).
    targets.slice(0, metrics.length).forEach((want, e) => {
      expect(Math.abs(port[e] - want), `port, epoch ${e}`).toBeLessThanOrEqual(1e-12 * want);
      expect(Math.abs(ours[e] - want), `anneal, epoch ${e}: ${ours[e]}`).toBeLessThanOrEqual(1e-12 * want);
    });
  });

  it('equals the port on noisy metrics for every mode, threshold mode, patience and cooldown', () => {
    let seed = 1;
    // Park–Miller: fixed noise, the same on every run.
    const rand = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    for (const mode of ['min', 'max'] as const)
      for (const thresholdMode of ['rel', 'abs'] as const)
        for (const patience of [0, 1, 3])
          for (const cooldown of [0, 2])
            for (const minLr of [0, 0.01]) {
              const metrics = range(80).map((i) => (mode === 'min' ? 2 - i * 0.005 : 1 + i * 0.005) + 0.05 * rand());
              const o = { mode, thresholdMode, patience, cooldown, minLr, threshold: 0.01, factor: 0.5 };
              const ours = annealRates(0.1, o, metrics);
              const port = torchRates(0.1, o, metrics);
              port.forEach((want, e) =>
                expect(Math.abs(ours[e] - want), `${JSON.stringify(o)} epoch ${e}`).toBeLessThanOrEqual(1e-12 * want),
              );
            }
  });

  it('keras rules with thresholdMode rel beat the best by a fraction of it', () => {
    const p = plateau({ thresholdMode: 'rel', minDelta: 0.1, patience: 1 });
    expect(p.epochEnd(1, 0, 0.1)).toBe(false);
    expect(p.epochEnd(0.95, 1, 0.1)).toBe(true); // 0.95 is not below 1 · (1 − 0.1)
  });
});
