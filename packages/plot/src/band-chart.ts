import { fullLegend, logAxis, seriesColors, timeAxis, wantsLog } from './axes.ts';
import type { LayerView, VegaLiteSpec } from './spec.ts';

export interface BandPoint {
  x: number;
  y: number;
  /** The band around a mean (repeats over seeds); absent for a single run. */
  lo?: number;
  hi?: number;
}

export interface BandChartOptions {
  /** In legend order. */
  series: Array<{ name: string; points: BandPoint[] }>;
  xTitle: string;
  yTitle: string;
  title?: string;
  /** Default: a log axis when the values span 100× or more (learning rates). */
  logScale?: boolean;
  /** Draw a staircase (a rate held for a whole epoch). */
  step?: boolean;
  width?: number;
  height?: number;
}

/**
 * Curves of several runs on one chart: a line per run, or per group of repeats its mean with a
 * shaded band. Points are drawn on short curves so a page can show their values on hover.
 */
export function bandChart(options: BandChartOptions): VegaLiteSpec {
  const { series, xTitle, yTitle, title, step = false, width = 420, height = 220 } = options;
  const logScale = options.logScale ?? wantsLog(series.flatMap((s) => s.points.map((p) => p.y)));
  const names = series.map((s) => s.name);
  const keep = (v: number) => Number.isFinite(v) && (!logScale || v > 0);
  const values = series.flatMap((s) =>
    s.points.filter((p) => keep(p.y)).map((p) => ({ run: s.name, x: p.x, y: p.y, lo: p.lo, hi: p.hi })),
  );
  const xs = values.map((d) => d.x);
  const x = {
    field: 'x',
    type: 'quantitative' as const,
    ...timeAxis(xTitle, xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1),
  };
  const y = {
    field: 'y',
    type: 'quantitative' as const,
    title: yTitle,
    scale: logScale ? { type: 'log' as const } : { zero: false },
    ...(logScale ? { axis: logAxis } : {}),
  };
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: null,
    scale: seriesColors(names),
    // Line swatches at full opacity: the band's pale fill would not match its curve.
    // Below the plot: long run names then widen nothing, and panels fit side by side on a page.
    legend: { ...fullLegend, orient: 'bottom' as const, symbolType: 'stroke', symbolOpacity: 1, symbolStrokeWidth: 2 },
  };
  const perSeries = Math.max(0, ...series.map((s) => s.points.length));
  const layer: LayerView[] = [
    {
      transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }],
      mark: { type: 'area', opacity: 0.18, interpolate: step ? 'step-after' : 'linear' },
      encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color },
    },
    {
      mark: { type: 'line', interpolate: step ? 'step-after' : 'linear', point: perSeries <= 60 },
      encoding: { x, y, color },
    },
  ];
  return {
    ...(title ? { title } : {}),
    width,
    height,
    data: { values },
    layer,
  };
}
