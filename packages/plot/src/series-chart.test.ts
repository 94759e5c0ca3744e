import { describe, expect, it } from 'vitest';
import { renderChart } from './render.ts';
import { seriesChart } from './series-chart.ts';

describe('seriesChart', () => {
  it('puts every finite point of every series in the data, by index', () => {
    const spec = seriesChart({
      series: [
        { name: 'a', y: [1, null, 3] },
        { name: 'b', y: [2, Number.NaN] },
      ],
      xTitle: 'epoch',
      yTitle: 'val_acc',
    }) as any;
    expect(spec.data.values).toEqual([
      { series: 'a', x: 0, y: 1 },
      { series: 'a', x: 2, y: 3 },
      { series: 'b', x: 0, y: 2 },
    ]);
  });

  it('renders with both series named in the legend', async () => {
    const svg = await renderChart(
      seriesChart({
        series: [
          { name: 'trial-one', y: [1, 2] },
          { name: 'trial-two', y: [2, 1] },
        ],
        xTitle: 'epoch',
        yTitle: 'val_acc',
      }),
    );
    expect(svg).toContain('trial-one');
    expect(svg).toContain('trial-two');
    expect(svg).toContain('val_acc');
  });
});
