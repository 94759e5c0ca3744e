import { describe, expect, it } from 'vitest';
import { lossVsLrChart, smoothLoss } from './loss-vs-lr-chart.ts';

const layers = (spec: any): any[] => (spec.layer ?? []).flatMap((l: any) => [l, ...layers(l)]);

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

  it('plots finite points on a log x axis, raw and smoothed', () => {
    const spec: any = lossVsLrChart({ lr, loss, beta: 0 });
    const curves = spec.layer[0];
    expect(curves.data.values).toEqual([
      { lr: 1e-5, loss: 2, smooth: 2 },
      { lr: 1e-4, loss: 1.5, smooth: 1.5 },
      { lr: 1e-3, loss: 1, smooth: 1 },
      { lr: 1e-2, loss: 3, smooth: 3 },
    ]);
    expect(curves.layer[0].encoding.x.scale).toEqual({ type: 'log' });
    expect(curves.layer.map((l: any) => l.encoding.y.field)).toEqual(['loss', 'smooth']);
    // y runs from the lowest loss to the highest smoothed loss before the minimum, plus headroom.
    expect(curves.layer[0].encoding.y.scale.domain).toEqual([1, 2.25]);
    expect(layers(spec).some((l) => l.mark?.type === 'rule')).toBe(false);
  });

  it('draws a rule at the suggestion', () => {
    const spec: any = lossVsLrChart({ lr, loss, suggestion: 1e-3 });
    const withRule = spec.layer[1];
    expect(withRule.data.values).toEqual([{ lr: 1e-3, label: 'suggested 0.0010' }]);
    expect(withRule.layer[0].mark.type).toBe('rule');
    expect(withRule.layer[0].encoding.x).toMatchObject({ field: 'lr', scale: { type: 'log' } });
  });
});
