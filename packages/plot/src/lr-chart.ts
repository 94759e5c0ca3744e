import type { Phase, ScheduleUnit } from '@anneal/core';
import { displayEpoch, fullLegend, labelDuplicates, logAxis, seriesColors, timeAxis, wantsLog } from './axes.ts';
import type { LayerView, VegaLiteSpec } from './spec.ts';

export interface LrSeries {
  name: string;
  /** The rate at t = 0, 1, 2, … */
  lr: number[];
  /** The momentum at t = 0, 1, 2, …, for a schedule that cycles it (cycleMomentum). */
  momentum?: number[];
}

export interface LrChartOptions {
  unit: ScheduleUnit;
  /** In legend order (a sweep passes its ranking). */
  series: LrSeries[];
  /** Drawn as dashed vertical rules, labelled with the phase name above the plot. */
  phases?: Phase[];
  title?: string;
  /** Default: a log axis when the rate spans more than 100× (see `wantsLog`). */
  logScale?: boolean;
}

const WIDTH = 480;
const HEIGHT = 260;
/** The momentum panel under the rate: shorter, since it only mirrors the rate's shape. */
const MOMENTUM_HEIGHT = 120;
// Phase labels are 10 px text; 6 px a character is a safe upper bound for the fonts we use.
const CHAR_PX = 6;
const ROW_PX = 12;

interface PlacedLabel {
  phase: string;
  x: number;
  px: number;
  py: number;
  align: 'left' | 'right';
}

/**
 * Phase labels sit in a band above the plot (so they never cover the curve), each at its rule,
 * and a label that would touch the one before it moves up a row. Positions are computed here in
 * pixels because vega-lite has no collision avoidance for text marks.
 */
export function placePhaseLabels(phases: Array<{ name: string; x: number }>, lo: number, hi: number): PlacedLabel[] {
  const rows: number[] = []; // rightmost pixel used in each row
  return phases.map(({ name, x }) => {
    const px = ((x - lo) / (hi - lo)) * WIDTH;
    const w = name.length * CHAR_PX + 4;
    const right = px + w > WIDTH;
    const [from, to] = right ? [px - w, px] : [px, px + w];
    let row = rows.findIndex((end) => end < from);
    if (row === -1) row = rows.length;
    rows[row] = to;
    return { phase: name, x, px, py: -4 - row * ROW_PX, align: right ? 'right' : 'left' };
  });
}

/**
 * Learning rate against time, one line per series (a sweep overlays every trial's curve, told
 * apart by colour, legend in the order given). A single series gets no legend: its name becomes
 * the title. Epochs are numbered from 1 on the axis; steps as counted (from 0). When a series
 * has a momentum (cycleMomentum), a second panel below draws it on the same time axis.
 */
export function lrChart(options: LrChartOptions): VegaLiteSpec {
  const { unit, series, phases = [] } = options;
  const logScale = options.logScale ?? wantsLog(series.flatMap((s) => s.lr));
  const shift = unit === 'epoch' ? displayEpoch : (t: number) => t;
  const length = Math.max(1, ...series.map((s) => s.lr.length));
  const [lo, hi] = [shift(0), shift(length - 1)];
  const names = labelDuplicates(series.map((s) => ({ name: s.name, values: s.lr })));
  // A log axis cannot show 0 (a decay to exactly 0, a warm-up from 0): those points are
  // left out rather than breaking the scale.
  const values = series.flatMap((s, i) =>
    s.lr.flatMap((lr, t) =>
      Number.isFinite(lr) && (!logScale || lr > 0) ? [{ series: names[i], t: shift(t), lr }] : [],
    ),
  );
  const x = { field: 't', type: 'quantitative', ...timeAxis(unit, lo, hi) } as const;
  const lines: LayerView = {
    data: { values },
    // `epoch` holds the rate for the whole epoch, so draw it as a staircase.
    mark: { type: 'line', interpolate: unit === 'epoch' ? 'step-after' : 'linear' },
    encoding: {
      x,
      y: {
        field: 'lr',
        type: 'quantitative',
        title: 'learning rate',
        scale: logScale ? { type: 'log' } : {},
        axis: logScale ? logAxis : { format: '~g' },
      },
      ...(series.length > 1
        ? { color: { field: 'series', type: 'nominal', title: null, scale: seriesColors(names), legend: fullLegend } }
        : {}),
    },
  };
  // A phase of zero length (hold: 0) starts where the next one does: label only the one that lasts.
  const shown = phases.filter((p, i) => p.start < length && phases[i + 1]?.start !== p.start);
  const labels = placePhaseLabels(
    shown.map((p) => ({ name: p.name, x: shift(p.start) })),
    lo,
    Math.max(hi, lo + 1),
  );
  const phaseRules: LayerView = {
    data: { values: labels },
    layer: [
      {
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
        encoding: { x: { field: 'x', type: 'quantitative' } },
      },
      // `align` is a mark property, not a channel: one text layer per side of the rule.
      ...(['left', 'right'] as const).map((align) => ({
        transform: [{ filter: { field: 'align', equal: align } }],
        mark: {
          type: 'text' as const,
          align,
          baseline: 'bottom' as const,
          dx: align === 'left' ? 2 : -2,
          color: '#555',
          fontSize: 10,
        },
        encoding: {
          x: { field: 'px', type: 'quantitative' as const, scale: null },
          y: { field: 'py', type: 'quantitative' as const, scale: null },
          text: { field: 'phase' },
        },
      })),
    ],
  };
  const title = options.title ?? (series.length === 1 ? series[0].name : undefined);
  const rate = { width: WIDTH, height: HEIGHT, layer: labels.length > 0 ? [lines, phaseRules] : [lines] };
  const cycled = series.flatMap((s, i) =>
    (s.momentum ?? []).flatMap((momentum, t) =>
      Number.isFinite(momentum) ? [{ series: names[i], t: shift(t), momentum }] : [],
    ),
  );
  if (cycled.length === 0) return { ...(title ? { title } : {}), ...rate };
  const momentum: LayerView = {
    data: { values: cycled },
    mark: lines.mark,
    encoding: {
      ...lines.encoding,
      y: { field: 'momentum', type: 'quantitative', title: 'momentum', scale: { zero: false }, axis: { format: '~g' } },
    },
  };
  const rules: LayerView = { data: { values: labels }, layer: [phaseRules.layer[0]] };
  return {
    ...(title ? { title } : {}),
    vconcat: [
      rate,
      { width: WIDTH, height: MOMENTUM_HEIGHT, layer: labels.length > 0 ? [momentum, rules] : [momentum] },
    ],
  };
}
