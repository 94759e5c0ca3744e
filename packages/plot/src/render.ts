import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile } from 'vega-lite';
import { AnnealError } from '@anneal/core';
import type { VegaLiteSpec } from './spec.ts';

// A font stack rather than vega's bare `sans-serif`: resvg maps the generic family to Arial,
// which a headless Linux box rarely has, and then falls back to the first system font (often a
// serif). Names are unquoted on purpose: resvg 2.6 ignores a quoted name after the first one.
const font = 'Helvetica, Arial, DejaVu Sans, Liberation Sans, sans-serif';

export const chartExtensions = ['.svg', '.png'] as const;

/**
 * Draws a Vega-Lite spec to an SVG string, headless (no canvas, no DOM).
 * Vega reports dataflow errors through its logger instead of throwing, and prints warnings to
 * the console; a library must not print (STYLE.md #11), so warnings are dropped and errors thrown.
 */
export async function renderChart(spec: VegaLiteSpec): Promise<string> {
  const errors: unknown[] = [];
  const logger = vega.logger(vega.Error, undefined, (_method, _level, args) => errors.push(args.join(' ')));
  const compiled = compile(spec, { logger, config: { font } }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    if (errors.length > 0)
      throw new AnnealError('RUN_FAILED', `Vega could not draw the chart: ${errors.join('; ')}`, {
        hint: 'a bug in the chart; run with --debug and report it',
      });
    return svg;
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG at twice its size, so text stays legible in a report. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true } });
  return resvg.render().asPng();
}

/**
 * Writes a chart as `.svg` or `.png` (chosen by the extension). The file appears whole or not
 * at all: it is written beside the target and renamed, so a reader never sees half a chart.
 */
export async function writeChart(file: string, spec: VegaLiteSpec): Promise<void> {
  const ext = extname(file).toLowerCase();
  if (!(chartExtensions as readonly string[]).includes(ext)) {
    throw new AnnealError(
      'USAGE',
      `Cannot write chart "${file}": unsupported extension "${ext}" (supported: ${chartExtensions.join(', ')}).`,
    );
  }
  const svg = await renderChart(spec);
  const data = ext === '.png' ? svgToPng(svg) : svg;
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
