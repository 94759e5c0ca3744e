import { describe, expect, it } from 'vitest';
import { lossVsLrChart, smoothLoss } from './loss-vs-lr-chart.ts';

describe('smoothLoss', () => {
  it('is bias-corrected: a constant loss stays constant from the first step', () => {
    for (const v of smoothLoss([2, 2, 2, 2], 0.9)) expect(v).toBeCloseTo(2, 12);
  });

  it('matches the debiased EMA by hand', () => {
    const beta = 0.5;
    // avg1 = 0.5, avg2 = 0.5*0.5 + 0.5*3 = 1.75; debiased: 0.5/0.5 = 1, 1.75/0.75
    expect(smoothLoss([1, 3], beta)).toEqual([1, 1.75 / 0.75]);
  });
});

describe('lossVsLrChart', () => {
  const lr = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1];
  const loss = [2, 1.5, 1, 3, Number.POSITIVE_INFINITY];

  it('plots finite points on a log x axis, raw and smoothed as two named curves', () => {
    const spec: any = lossVsLrChart({ lr, loss, beta: 0 });
    const curves = spec.layer[0];
    expect(curves.data.values.filter((d: any) => d.curve === 'raw loss').map((d: any) => [d.lr, d.loss])).toEqual([
      [1e-5, 2],
      [1e-4, 1.5],
      [1e-3, 1],
      [1e-2, 3],
    ]);
    expect(curves.encoding.x.scale.type).toBe('log');
    // y runs from the lowest loss to the highest smoothed loss before the minimum, plus headroom.
    expect(curves.encoding.y.scale.domain).toEqual([1, 2.25]);
  });

  it('marks the smoothed minimum and the suggestion', () => {
    const spec: any = lossVsLrChart({ lr, loss, suggestion: 1e-4, beta: 0 });
    const rules = spec.layer[1];
    expect(rules.data.values.map((d: any) => [d.lr, d.label])).toEqual([
      [1e-3, 'minimum 0.001'],
      [1e-4, 'suggested 1e-4'],
    ]);
    expect(rules.layer[0].mark.type).toBe('rule');
  });
});
