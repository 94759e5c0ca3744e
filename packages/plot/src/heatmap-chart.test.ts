import { describe, expect, it } from 'vitest';
import { heatmapChart } from './heatmap-chart.ts';

describe('heatmapChart', () => {
  const rows = [
    { 'schedule.warmup': 0, 'schedule.epsilon': 1e-5, val_loss: 0.3 },
    { 'schedule.warmup': 5, 'schedule.epsilon': 1e-5, val_loss: 0.5 },
    { 'schedule.warmup': 5, 'schedule.epsilon': 1e-4, val_loss: null },
  ];
  const spec: any = heatmapChart({
    rows,
    x: 'schedule.warmup',
    y: 'schedule.epsilon',
    value: 'val_loss',
    title: 'grid',
  });

  it('copies dotted keys into plain fields, labelled as summary.md prints them, and drops trials without a value', () => {
    expect(spec.data.values).toEqual([
      { x: '0', xRank: 0, y: '1e-5', yRank: 0, value: 0.3 },
      { x: '5', xRank: 1, y: '1e-5', yRank: 0, value: 0.5 },
    ]);
    expect(spec.title).toBe('grid');
  });

  it('colours rect cells by the mean value and prints it in each cell', () => {
    const [rect, text] = spec.layer;
    expect(rect.mark).toBe('rect');
    expect(rect.encoding.x).toMatchObject({ field: 'x', type: 'ordinal', title: 'schedule.warmup' });
    expect(rect.encoding.y).toMatchObject({ field: 'y', type: 'ordinal', title: 'schedule.epsilon' });
    // Ordered by value, not by label text (which would put 10 before 5).
    expect(rect.encoding.x.sort).toEqual({ field: 'xRank', op: 'min' });
    expect(rect.encoding.y.sort).toEqual({ field: 'yRank', op: 'min', order: 'descending' });
    expect(rect.encoding.color).toMatchObject({ field: 'value', aggregate: 'mean', title: 'val_loss' });
    expect(text.mark.type).toBe('text');
    expect(text.encoding.text).toMatchObject({ field: 'value', aggregate: 'mean' });
    // Text turns white above the middle of the value range (0.4).
    expect(text.encoding.color.condition.test).toBe('datum.mean_value > 0.4');
  });

  it('renders the axes in value order with the labels summary.md uses', async () => {
    const { renderChart, svgTexts } = await import('./index.ts');
    const grid = [0.001, 1e-4, 0.01].flatMap((epsilon) =>
      [10, 5, 0].map((warmup) => ({
        'schedule.warmup': warmup,
        'schedule.epsilon': epsilon,
        val_loss: 0.3 + warmup / 1000 + epsilon,
      })),
    );
    const svg = await renderChart(
      heatmapChart({ rows: grid, x: 'schedule.warmup', y: 'schedule.epsilon', value: 'val_loss' }),
    );
    const texts = svgTexts(svg).map((t) => t.text);
    const order = (labels: string[]) => labels.map((l) => texts.indexOf(l));
    expect(texts).toContain('1e-4');
    expect(texts).not.toContain('0.0001');
    const xs = order(['0', '5', '10']);
    expect(xs.every((i) => i >= 0)).toBe(true);
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
  });
});
