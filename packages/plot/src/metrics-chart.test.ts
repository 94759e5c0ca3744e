import { describe, expect, it } from 'vitest';
import { metricFamily, metricsChart } from './metrics-chart.ts';

describe('metricFamily', () => {
  it('reads the Keras val_ prefix', () => {
    expect(metricFamily('val_acc')).toEqual({ family: 'acc', split: 'val' });
    expect(metricFamily('loss')).toEqual({ family: 'loss', split: 'train' });
  });
});

describe('metricsChart', () => {
  const rows = [
    { epoch: 1, loss: 1, val_loss: 1.2, acc: 0.5, val_acc: null, lr: 0.1 },
    { epoch: 2, loss: 0.5, val_loss: Number.NaN, acc: 0.7, val_acc: 0.6, lr: 0.1 },
  ];

  it('folds the chosen metrics into long rows (epochs 1-based), skipping null and non-finite values', () => {
    const spec: any = metricsChart({ rows, metrics: ['loss', 'val_loss', 'acc', 'val_acc'] });
    expect(spec.data.values).toEqual([
      { t: 2, metric: 'loss', family: 'loss', split: 'train', value: 1 },
      { t: 2, metric: 'val_loss', family: 'loss', split: 'val', value: 1.2 },
      { t: 2, metric: 'acc', family: 'acc', split: 'train', value: 0.5 },
      { t: 3, metric: 'loss', family: 'loss', split: 'train', value: 0.5 },
      { t: 3, metric: 'acc', family: 'acc', split: 'train', value: 0.7 },
      { t: 3, metric: 'val_acc', family: 'acc', split: 'val', value: 0.6 },
    ]);
  });

  it('stacks one panel per family, coloured by train vs val', () => {
    const spec: any = metricsChart({ rows, metrics: ['loss', 'val_loss', 'acc', 'val_acc'] });
    expect(spec.vconcat).toHaveLength(2);
    expect(spec.vconcat.map((p: any) => p.transform[0].filter.equal)).toEqual(['loss', 'acc']);
    expect(spec.vconcat.map((p: any) => p.encoding.y.title)).toEqual(['loss', 'acc']);
    for (const panel of spec.vconcat) {
      expect(panel.encoding.color.field).toBe('split');
      expect(panel.encoding.x.title).toBe('epoch');
    }
  });

  it('takes another x column', () => {
    const spec: any = metricsChart({ rows: [{ step: 10, loss: 1 }], x: 'step', metrics: ['loss'] });
    expect(spec.data.values).toEqual([{ t: 10, metric: 'loss', family: 'loss', split: 'train', value: 1 }]);
    expect(spec.vconcat[0].encoding.x.title).toBe('step');
  });
});
