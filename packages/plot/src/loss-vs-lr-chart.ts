import type { LayerView, VegaLiteSpec } from './spec.ts';

export interface LossVsLrChartOptions {
  /** The rate of each step of the range test (increasing). */
  lr: number[];
  /** The training loss at each step. */
  loss: number[];
  /** Marked with a vertical rule and its value. */
  suggestion?: number;
  /** Exponential smoothing factor; fastai's LR finder uses 0.98. */
  beta?: number;
  title?: string;
}

/**
 * Exponential moving average with bias correction (as fastai's LR finder smooths), so the
 * first points are not pulled towards 0. Non-finite losses (divergence) come out as NaN.
 */
export function smoothLoss(loss: number[], beta = 0.98): number[] {
  let avg = 0;
  return loss.map((l, i) => {
    avg = beta * avg + (1 - beta) * l;
    return avg / (1 - beta ** (i + 1));
  });
}

/** LR range test: raw loss (faint) and smoothed loss against a log-scaled learning rate. */
export function lossVsLrChart(options: LossVsLrChartOptions): VegaLiteSpec {
  const { lr, loss, suggestion, beta = 0.98, title = 'LR range test' } = options;
  const smooth = smoothLoss(loss, beta);
  const values = lr.flatMap((rate, i) =>
    rate > 0 && Number.isFinite(loss[i]) && Number.isFinite(smooth[i])
      ? [{ lr: rate, loss: loss[i], smooth: smooth[i] }]
      : [],
  );
  // The loss explodes once the rate is too high; scaling the axis to that would flatten the
  // part that matters. Show from the lowest loss to the highest smoothed loss seen before the
  // smoothed minimum, with headroom, and clip what runs off the top.
  const best = values.reduce((b, d, i) => (d.smooth < values[b].smooth ? i : b), 0);
  const lo = Math.min(...values.map((d) => d.loss));
  const hi = Math.max(...values.slice(0, best + 1).map((d) => d.smooth));
  const y = { zero: false, ...(values.length > 1 && hi > lo ? { domain: [lo, hi + 0.25 * (hi - lo)] } : {}) };
  const x = { field: 'lr', type: 'quantitative', title: 'learning rate', scale: { type: 'log' } } as const;
  const curves: LayerView = {
    data: { values },
    layer: [
      {
        mark: { type: 'line', color: '#9ecae9', clip: true },
        encoding: { x, y: { field: 'loss', type: 'quantitative', title: 'loss', scale: y } },
      },
      {
        mark: { type: 'line', strokeWidth: 2, clip: true },
        encoding: { x, y: { field: 'smooth', type: 'quantitative' } },
      },
    ],
  };
  const layer = [curves];
  if (suggestion !== undefined) {
    layer.push({
      data: { values: [{ lr: suggestion, label: `suggested ${suggestion.toPrecision(2)}` }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [4, 4], color: '#d62728' }, encoding: { x } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, color: '#d62728' },
          encoding: { x, y: { value: 0 }, text: { field: 'label' } },
        },
      ],
    });
  }
  return { title, width: 480, height: 260, layer };
}
