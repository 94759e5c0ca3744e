import { describe, expect, it } from 'vitest';
import { lineWithErrorChart } from './line-with-error-chart.ts';

describe('lineWithErrorChart', () => {
  it('computes mean ± std bounds and leaves rows without std unbarred', () => {
    const rows = [
      { 'schedule.warmup': 0, m: 0.5, s: 0.1 },
      { 'schedule.warmup': 5, m: 0.4, s: null },
      { 'schedule.warmup': 10, m: null, s: 0.1 },
    ];
    const spec: any = lineWithErrorChart({ rows, x: 'schedule.warmup', mean: 'm', std: 's' });
    expect(spec.data.values).toEqual([
      { x: 0, mean: 0.5, lo: 0.4, hi: 0.6 },
      { x: 5, mean: 0.4 },
    ]);
    const [line, bars] = spec.layer;
    expect(line.mark.type).toBe('line');
    expect(line.encoding.x).toMatchObject({ field: 'x', type: 'quantitative', title: 'schedule.warmup' });
    expect(bars.mark.type).toBe('errorbar');
    expect(bars.encoding.y.field).toBe('lo');
    expect(bars.encoding.y2.field).toBe('hi');
  });

  it('uses an ordinal axis for non-numeric keys', () => {
    const rows = [
      { opt: 'adam', m: 1, s: 0 },
      { opt: 'sgd', m: 2, s: 0 },
    ];
    const spec: any = lineWithErrorChart({ rows, x: 'opt', mean: 'm', std: 's', title: 'by optimizer' });
    expect(spec.layer[0].encoding.x.type).toBe('ordinal');
    expect(spec.title).toBe('by optimizer');
  });
});
