import type { TopLevelSpec } from 'vega-lite';

/** A Vega-Lite specification; chart builders return one and `renderChart` draws it. */
export type VegaLiteSpec = TopLevelSpec;

/** One table row as charts read it: sweep results and metrics rows alike. */
export type Row = Record<string, number | string | null | undefined>;

/** Drops null, undefined and non-finite values: a diverged epoch or a failed trial leaves a gap, not a crash. */
export function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** A view inside `layer: [...]`; vega-lite exports only the top-level spec type, so derive it. */
export type LayerView = Extract<VegaLiteSpec, { layer: unknown }>['layer'][number];

/** A view inside `vconcat: [...]`. */
export type VConcatView = Extract<VegaLiteSpec, { vconcat: unknown }>['vconcat'][number];
