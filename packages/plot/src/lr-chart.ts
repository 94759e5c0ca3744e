import type { Phase, ScheduleUnit } from '@anneal/core';
import type { LayerView, VegaLiteSpec } from './spec.ts';

export interface LrSeries {
  name: string;
  /** The rate at t = 0, 1, 2, … */
  lr: number[];
}

export interface LrChartOptions {
  unit: ScheduleUnit;
  series: LrSeries[];
  /** Drawn as dashed vertical rules labelled with the phase name. */
  phases?: Phase[];
  title?: string;
  logScale?: boolean;
}

/**
 * Learning rate against time, one line per series (a sweep overlays every trial's curve,
 * told apart by colour). A single series gets no legend: its name becomes the title.
 */
export function lrChart(options: LrChartOptions): VegaLiteSpec {
  const { unit, series, phases = [], logScale = false } = options;
  // A log axis cannot show 0 (a decay to exactly 0, a warm-up from 0): those points are
  // left out rather than breaking the scale.
  const values = series.flatMap((s) =>
    s.lr.flatMap((lr, t) => (Number.isFinite(lr) && (!logScale || lr > 0) ? [{ series: s.name, t, lr }] : [])),
  );
  const lines: LayerView = {
    data: { values },
    // `epoch` holds the rate for the whole epoch, so draw it as a staircase.
    mark: { type: 'line', interpolate: unit === 'epoch' ? 'step-after' : 'linear' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: unit },
      y: { field: 'lr', type: 'quantitative', title: 'learning rate', scale: logScale ? { type: 'log' } : {} },
      ...(series.length > 1 ? { color: { field: 'series', type: 'nominal', title: null } } : {}),
    },
  };
  const phaseRules: LayerView = {
    data: { values: phases.map((p) => ({ phase: p.name, t: p.start })) },
    layer: [
      {
        mark: { type: 'rule', strokeDash: [4, 4], color: '#888' },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
      {
        // Written down the rule, so labels of phases that start close together do not collide.
        mark: { type: 'text', angle: 90, align: 'left', baseline: 'bottom', dx: 4, dy: -3, color: '#555' },
        encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 0 }, text: { field: 'phase' } },
      },
    ],
  };
  const title = options.title ?? (series.length === 1 ? series[0].name : undefined);
  return {
    ...(title ? { title } : {}),
    width: 480,
    height: 260,
    layer: phases.length > 0 ? [lines, phaseRules] : [lines],
  };
}
