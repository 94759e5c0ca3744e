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

  it('copies dotted keys into plain fields and drops trials without a value', () => {
    expect(spec.data.values).toEqual([
      { x: 0, y: 1e-5, value: 0.3 },
      { x: 5, y: 1e-5, value: 0.5 },
    ]);
    expect(spec.title).toBe('grid');
  });

  it('colours rect cells by the mean value and prints it in each cell', () => {
    const [rect, text] = spec.layer;
    expect(rect.mark).toBe('rect');
    expect(rect.encoding.x).toMatchObject({ field: 'x', type: 'ordinal', title: 'schedule.warmup' });
    expect(rect.encoding.y).toMatchObject({ field: 'y', type: 'ordinal', title: 'schedule.epsilon' });
    expect(rect.encoding.color).toMatchObject({ field: 'value', aggregate: 'mean', title: 'val_loss' });
    expect(text.mark.type).toBe('text');
    expect(text.encoding.text).toMatchObject({ field: 'value', aggregate: 'mean' });
    // Text turns white above the middle of the value range (0.4).
    expect(text.encoding.color.condition.test).toBe('datum.mean_value > 0.4');
  });
});
