import { describe, expect, it } from 'vitest';
import { lossVsLrChart } from './loss-vs-lr-chart.ts';
import { lrChart } from './lr-chart.ts';
import { metricsChart } from './metrics-chart.ts';
import { renderChart } from './render.ts';
import { scatterChart } from './scatter-chart.ts';
import { seriesChart } from './series-chart.ts';
import { lineColors, type SvgText, svgTexts } from './svg-inspect.ts';

// Every check reads the SVG vega drew, as a reader would see it: tick labels and where they
// sit, titles, legend entries, colours.

/** Tick labels of the axis whose labels share one x (the y axis) or one y (the x axis). */
function axisLabels(texts: SvgText[], axis: 'x' | 'y'): SvgText[] {
  const labels = texts.filter((t) => t.role === 'axis-label');
  const coord = axis === 'x' ? 'y' : 'x';
  const groups = new Map<number, SvgText[]>();
  for (const t of labels) groups.set(Math.round(t[coord]), [...(groups.get(Math.round(t[coord])) ?? []), t]);
  // The x axis labels are on one row; of several rows (stacked panels) take the first.
  const [first] = [...groups.values()].sort((a, b) => b.length - a.length);
  return axis === 'x' ? first.sort((a, b) => a.x - b.x) : first.sort((a, b) => b.y - a.y);
}
/** "1e-5" and "1e−5" (vega writes a true minus sign) alike. */
const num = (s: string) => Number(s.replace(/\u2212/g, '-'));
const evenlySpaced = (xs: number[], tol: number) => {
  const steps = xs.slice(1).map((x, i) => x - xs[i]);
  return steps.every((s) => Math.abs(s - steps[0]) <= tol * Math.abs(steps[0]));
};

describe('LR chart, as drawn', () => {
  const stepDecay = Array.from({ length: 30 }, (_, t) => (t < 10 ? 2e-4 : t < 20 ? 2e-5 : 2e-6));

  it('uses a log y axis when the rate spans 100× or more: ticks are powers of ten, evenly spaced', async () => {
    const texts = svgTexts(await renderChart(lrChart({ unit: 'epoch', series: [{ name: 'step', lr: stepDecay }] })));
    const ticks = axisLabels(texts, 'y');
    const decades = ticks.filter((t) => /^1e/.test(t.text.replace(/\u2212/g, '-')));
    expect(decades.map((t) => num(t.text))).toEqual(expect.arrayContaining([1e-6, 1e-5, 1e-4]));
    // Equal ratios at equal distances: a log scale.
    expect(
      evenlySpaced(
        decades.map((t) => t.y),
        0.02,
      ),
    ).toBe(true);
  });

  it('keeps a linear y axis for a rate that spans less: ticks evenly spaced in value and position', async () => {
    const lr = Array.from({ length: 30 }, (_, t) => 0.1 * (1 - t / 60));
    const ticks = axisLabels(svgTexts(await renderChart(lrChart({ unit: 'epoch', series: [{ name: 'a', lr }] }))), 'y');
    expect(ticks.length).toBeGreaterThan(2);
    expect(
      evenlySpaced(
        ticks.map((t) => num(t.text)),
        1e-9,
      ),
    ).toBe(true);
    expect(
      evenlySpaced(
        ticks.map((t) => t.y),
        0.02,
      ),
    ).toBe(true);
  });

  it('ends the x axis where the run ends, numbering epochs from 1 with whole-number ticks', async () => {
    const texts = svgTexts(await renderChart(lrChart({ unit: 'epoch', series: [{ name: 'a', lr: stepDecay }] })));
    const ticks = axisLabels(texts, 'x');
    expect(ticks.map((t) => t.text).every((s) => /^\d+$/.test(s))).toBe(true);
    expect(num(ticks[0].text)).toBeGreaterThanOrEqual(1);
    expect(num(ticks.at(-1)!.text)).toBe(30);
  });

  it('writes phase labels above the plot, none overlapping another, even when phases start close together', async () => {
    const phases = [
      { name: 'warmup', start: 0 },
      { name: 'hold', start: 1 },
      { name: 'decay', start: 2 },
      { name: 'floor', start: 29 },
    ];
    const svg = await renderChart(lrChart({ unit: 'epoch', series: [{ name: 'a', lr: stepDecay }], phases }));
    const labels = svgTexts(svg).filter((t) => phases.some((p) => p.name === t.text) && t.role === 'mark');
    expect(labels.map((l) => l.text).sort()).toEqual(['decay', 'floor', 'hold', 'warmup']);
    // Above the plot area (y < 0 from its top edge), so they cannot cover the curve.
    for (const l of labels) expect(l.local.y).toBeLessThan(0);
    // Boxes of 10 px text: at most 6.5 px a character wide, 10 px high.
    const box = (l: SvgText) => {
      const w = l.text.length * 6.5;
      const x0 = l.anchor === 'end' ? l.x - w : l.anchor === 'middle' ? l.x - w / 2 : l.x;
      return { x0, x1: x0 + w, y0: l.y - 10, y1: l.y };
    };
    for (const a of labels)
      for (const b of labels) {
        if (a === b) continue;
        const [p, q] = [box(a), box(b)];
        const overlap = p.x0 < q.x1 && q.x0 < p.x1 && p.y0 < q.y1 && q.y0 < p.y1;
        expect(overlap, `${a.text} overlaps ${b.text}`).toBe(false);
      }
  });

  it('lists every series of a sweep in full and in the order given (rank), never cut off', async () => {
    const names = Array.from(
      { length: 9 },
      (_, i) => `warmup=${i % 3} epsilon=${[0, 1e-5, 1e-4][Math.floor(i / 3)]} hold=${i}`,
    );
    const series = names.map((name, i) => ({ name, lr: Array.from({ length: 20 }, (_, t) => 0.01 / (1 + i + t)) }));
    const svg = await renderChart(lrChart({ unit: 'epoch', series }));
    const legend = svgTexts(svg)
      .filter((t) => t.role === 'legend-label')
      .sort((a, b) => a.y - b.y);
    expect(legend.map((t) => t.text)).toEqual(names);
    expect(legend.some((t) => t.text.includes('…'))).toBe(false);
  });

  it('says so when two curves are the same', async () => {
    const lr = [0.1, 0.05];
    const svg = await renderChart(
      lrChart({
        unit: 'epoch',
        series: [
          { name: 'a', lr },
          { name: 'b', lr },
        ],
      }),
    );
    expect(svgTexts(svg).map((t) => t.text)).toContain('b (same curve as a)');
  });
});

describe('metrics chart, as drawn', () => {
  const rows = [0, 1, 2].map((epoch) => ({ epoch, loss: 1 / (epoch + 1), val_loss: 1.2 / (epoch + 1) }));

  it('is titled with the run name and numbers epochs 1…N with whole-number ticks', async () => {
    const texts = svgTexts(await renderChart(metricsChart({ rows, metrics: ['loss', 'val_loss'], title: 'iris-run' })));
    expect(texts.find((t) => t.role === 'title-text')?.text).toBe('iris-run');
    expect(axisLabels(texts, 'x').map((t) => t.text)).toEqual(['1', '2', '3']);
  });
});

describe('series chart, as drawn', () => {
  it('gives ten curves ten different colours, legend in rank order', async () => {
    const series = Array.from({ length: 10 }, (_, i) => ({
      name: `trial ${i + 1}`,
      y: [0.5 + i / 100, 0.6 + i / 100],
    }));
    const svg = await renderChart(seriesChart({ series, x0: 1, xTitle: 'epoch', yTitle: 'val_acc' }));
    expect(new Set(lineColors(svg)).size).toBe(10);
    const legend = svgTexts(svg)
      .filter((t) => t.role === 'legend-label')
      .sort((a, b) => a.y - b.y);
    expect(legend.map((t) => t.text)).toEqual(series.map((s) => s.name));
  });
});

describe('scatter chart, as drawn', () => {
  it('puts a parameter that spans a decade or more on a log axis', async () => {
    const rows = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2].map((lr, i) => ({
      'optimizer.learningRate': lr,
      val_acc: 0.9 + i / 100,
    }));
    const texts = svgTexts(await renderChart(scatterChart({ rows, x: 'optimizer.learningRate', value: 'val_acc' })));
    const decades = axisLabels(texts, 'x').filter((t) => /^1e/.test(t.text.replace(/\u2212/g, '-')));
    expect(decades.map((t) => num(t.text))).toEqual([1e-4, 1e-3, 1e-2]);
    expect(
      evenlySpaced(
        decades.map((t) => t.x),
        0.02,
      ),
    ).toBe(true);
  });
});

describe('lr-find chart, as drawn', () => {
  const lr = Array.from({ length: 60 }, (_, i) => 1e-6 * 10 ** (i / 10));
  const loss = lr.map((_, i) => 2 - i / 60 + (i > 45 ? (i - 45) ** 2 / 20 : 0));

  it('has a legend for raw and smoothed loss, marks the minimum and the suggestion, one tick format', async () => {
    const texts = svgTexts(await renderChart(lossVsLrChart({ lr, loss, suggestion: 1e-4 })));
    const all = texts.map((t) => t.text);
    expect(texts.filter((t) => t.role === 'legend-label').map((t) => t.text)).toEqual(['raw loss', 'smoothed loss']);
    expect(all).toContain('suggested 1e-4');
    expect(all.some((t) => /^minimum \S+$/.test(t))).toBe(true);
    const ticks = axisLabels(texts, 'x').map((t) => t.text.replace(/\u2212/g, '-'));
    expect(ticks.length).toBeGreaterThan(3);
    for (const t of ticks) expect(t).toMatch(/^1e[+-]\d+$/);
  });
});
