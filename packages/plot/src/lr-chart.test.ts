import { describe, expect, it } from 'vitest';
import { lrChart } from './lr-chart.ts';
import { renderChart } from './render.ts';
import { svgTexts } from './svg-inspect.ts';

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

  it('draws a cycled momentum in a second panel on the same time axis, with the phase rules', async () => {
    const phases = [
      { name: 'warmup', start: 0 },
      { name: 'anneal', start: 2 },
    ];
    const spec: any = lrChart({
      unit: 'step',
      series: [{ name: 'one-cycle', lr: [0.1, 0.2, 0.3, 0.1], momentum: [0.95, 0.9, 0.85, 0.9] }],
      phases,
    });
    expect(spec.vconcat).toHaveLength(2);
    const [rate, momentum] = spec.vconcat.map((panel: any) => layers(panel).find((l) => markType(l) === 'line'));
    expect(rate.encoding.y.field).toBe('lr');
    expect(momentum.encoding.y).toMatchObject({ field: 'momentum', title: 'momentum' });
    expect(momentum.encoding.x).toEqual(rate.encoding.x);
    expect(momentum.data.values).toEqual(
      [0.95, 0.9, 0.85, 0.9].map((m, t) => ({ series: 'one-cycle', t, momentum: m })),
    );
    const rules = layers(spec.vconcat[1]).find((l) => l.layer?.some((c: any) => markType(c) === 'rule'));
    expect(rules.data.values.map((v: any) => v.x)).toEqual([0, 2]);
    const texts = svgTexts(await renderChart(spec)).map((t) => t.text);
    expect(texts).toContain('momentum');
    expect(texts).toContain('learning rate');
  });

  it('has no momentum panel without a momentum', () => {
    expect((lrChart({ unit: 'step', series: [{ name: 'a', lr: [1, 2] }] }) as any).vconcat).toBeUndefined();
  });
});
