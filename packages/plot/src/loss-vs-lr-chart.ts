import { logAxis } from './axes.ts';
import { formatNumber } from './format.ts';
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

/**
 * LR range test: raw loss (faint) and smoothed loss against a log-scaled learning rate, told
 * apart in a legend; the smoothed minimum and the suggestion marked with labelled rules.
 */
export function lossVsLrChart(options: LossVsLrChartOptions): VegaLiteSpec {
  const { lr, loss, suggestion, beta = 0.98, title = 'LR range test' } = options;
  const smooth = smoothLoss(loss, beta);
  const points = lr.flatMap((rate, i) =>
    rate > 0 && Number.isFinite(loss[i]) && Number.isFinite(smooth[i])
      ? [{ lr: rate, loss: loss[i], smooth: smooth[i] }]
      : [],
  );
  // The loss explodes once the rate is too high; scaling the axis to that would flatten the
  // part that matters. Show from the lowest loss to the highest smoothed loss seen before the
  // smoothed minimum, with headroom, and clip what runs off the top.
  const best = points.reduce((b, d, i) => (d.smooth < points[b].smooth ? i : b), 0);
  const lo = Math.min(...points.map((d) => d.loss));
  const hi = Math.max(...points.slice(0, best + 1).map((d) => d.smooth));
  const y = { zero: false, ...(points.length > 1 && hi > lo ? { domain: [lo, hi + 0.25 * (hi - lo)] } : {}) };
  const x = {
    field: 'lr',
    type: 'quantitative',
    title: 'learning rate',
    scale: { type: 'log', nice: false },
    axis: logAxis,
  } as const;
  const curveNames = ['raw loss', 'smoothed loss'];
  const values = points.flatMap((d) => [
    { lr: d.lr, curve: curveNames[0], loss: d.loss },
    { lr: d.lr, curve: curveNames[1], loss: d.smooth },
  ]);
  const curves: LayerView = {
    data: { values },
    mark: { type: 'line', clip: true },
    encoding: {
      x,
      y: { field: 'loss', type: 'quantitative', title: 'loss', scale: y },
      color: {
        field: 'curve',
        type: 'nominal',
        title: null,
        scale: { domain: curveNames, range: ['#9ecae9', '#1f77b4'] },
        legend: { orient: 'top', direction: 'horizontal', labelLimit: 0 },
      },
      strokeWidth: { field: 'curve', type: 'nominal', scale: { domain: curveNames, range: [1, 2] }, legend: null },
    },
  };
  // Two labelled rules: the minimum of the smoothed loss and the suggestion (steepest descent,
  // always at a lower rate). Labels sit on different rows so they cannot collide.
  const marks = [
    ...(points.length
      ? [{ lr: points[best].lr, label: `minimum ${formatNumber(points[best].lr, 2)}`, color: '#555', row: 1 }]
      : []),
    ...(suggestion !== undefined
      ? [{ lr: suggestion, label: `suggested ${formatNumber(suggestion, 2)}`, color: '#d62728', row: 0 }]
      : []),
  ];
  const rules: LayerView = {
    data: { values: marks },
    layer: [
      {
        mark: { type: 'rule', strokeDash: [4, 4] },
        encoding: { x, color: { field: 'color', type: 'nominal', scale: null } },
      },
      {
        mark: { type: 'text', align: 'left', baseline: 'top', dx: 3 },
        encoding: {
          x,
          y: { field: 'py', type: 'quantitative', scale: null },
          text: { field: 'label' },
          color: { field: 'color', type: 'nominal', scale: null },
        },
      },
    ],
    transform: [{ calculate: '3 + datum.row * 14', as: 'py' }],
  };
  return { title, width: 480, height: 260, layer: marks.length ? [curves, rules] : [curves] };
}
