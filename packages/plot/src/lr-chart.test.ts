import { describe, expect, it } from 'vitest';
import { lrChart } from './lr-chart.ts';

// Specs are plain data: find the pieces by walking the layer tree rather than fixing indices.
const layers = (spec: any): any[] => (spec.layer ?? []).flatMap((l: any) => [l, ...layers(l)]);
const markType = (l: any) => (typeof l.mark === 'string' ? l.mark : l.mark?.type);

describe('lrChart', () => {
  it('puts every (series, t, lr) point in the data and one colour per series', () => {
    const spec: any = lrChart({
      unit: 'step',
      series: [
        { name: 'a', lr: [0.1, 0.2] },
        { name: 'b', lr: [0.3] },
      ],
    });
    const line = layers(spec).find((l) => markType(l) === 'line');
    expect(line.data.values).toEqual([
      { series: 'a', t: 0, lr: 0.1 },
      { series: 'a', t: 1, lr: 0.2 },
      { series: 'b', t: 0, lr: 0.3 },
    ]);
    expect(line.encoding.color.field).toBe('series');
    expect(line.encoding.x.title).toBe('step');
    expect(line.mark.interpolate).toBe('linear');
  });

  it('draws a single series without a legend, titled by its name, as a staircase per epoch', () => {
    const spec: any = lrChart({ unit: 'epoch', series: [{ name: 'cosine', lr: [1, 0.5] }] });
    const line = layers(spec).find((l) => markType(l) === 'line');
    expect(line.encoding.color).toBeUndefined();
    expect(spec.title).toBe('cosine');
    expect(line.mark.interpolate).toBe('step-after');
  });

  it('marks phase starts with dashed rules at the 1-based epoch, labels above the plot', () => {
    const phases = [
      { name: 'warmup', start: 0 },
      { name: 'decay', start: 5 },
    ];
    const spec: any = lrChart({ unit: 'epoch', series: [{ name: 'a', lr: [1, 2, 3, 4, 5, 6, 7] }], phases });
    const all = layers(spec);
    const rule = all.find((l) => markType(l) === 'rule');
    const parent = all.find((l) => l.layer?.includes(rule));
    expect(parent.data.values.map((v: any) => [v.phase, v.x])).toEqual([
      ['warmup', 1],
      ['decay', 6],
    ]);
    expect(rule.mark.strokeDash).toBeDefined();
    for (const v of parent.data.values) expect(v.py).toBeLessThan(0);
  });

  it('drops phases past the end and zero-length ones', () => {
    const phases = [
      { name: 'warmup', start: 0 },
      { name: 'hold', start: 2 },
      { name: 'decay', start: 2 },
      { name: 'late', start: 50 },
    ];
    const spec: any = lrChart({ unit: 'epoch', series: [{ name: 'a', lr: [1, 2, 3] }], phases });
    const parent = layers(spec).find((l) => l.layer?.some((c: any) => markType(c) === 'rule'));
    expect(parent.data.values.map((v: any) => v.phase)).toEqual(['warmup', 'decay']);
  });

  it('has no phase layer without phases', () => {
    const spec: any = lrChart({ unit: 'epoch', series: [{ name: 'a', lr: [1] }] });
    expect(layers(spec).some((l) => markType(l) === 'rule')).toBe(false);
  });

  it('on a log scale leaves out rates a log axis cannot show', () => {
    const spec: any = lrChart({ unit: 'step', series: [{ name: 'a', lr: [0, 0.1, Number.NaN, 0.2] }], logScale: true });
    const line = layers(spec).find((l) => markType(l) === 'line');
    expect(line.encoding.y.scale).toEqual({ type: 'log' });
    expect(line.data.values.map((d: any) => d.t)).toEqual([1, 3]);
  });
});
