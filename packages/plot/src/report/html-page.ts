import { renderChart } from '../render.ts';
import type { VegaLiteSpec } from '../spec.ts';
import { pageScript, pageStyle } from './page-script.ts';

export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * A chart pre-rendered to inline SVG (no chart library on the page). `series` names the field
 * that tells series apart in the marks' aria-labels, so the page script can toggle them.
 */
export async function chartHtml(spec: VegaLiteSpec, options: { id?: string; series?: string } = {}): Promise<string> {
  const svg = await renderChart(spec);
  const attrs = [
    'class="chart"',
    ...(options.id ? [`id="${escapeHtml(options.id)}"`] : []),
    ...(options.series ? [`data-series="${escapeHtml(options.series)}"`] : []),
  ];
  // The SVG's own white background rect and the XML prolog are fine inline; drop nothing else.
  return `<div ${attrs.join(' ')}>${svg}</div>`;
}

/** A table; cells may carry a sort value (`data-v`) when the shown text does not sort right ("—", 1e-5). */
export function tableHtml(
  rows: Array<Array<string | { html: string; sort?: string | number }>>,
  options: { sortable?: boolean; id?: string } = {},
): string {
  const [head, ...body] = rows;
  const cell = (tag: string, c: string | { html: string; sort?: string | number }) =>
    typeof c === 'string'
      ? `<${tag}>${escapeHtml(c)}</${tag}>`
      : `<${tag}${c.sort !== undefined ? ` data-v="${escapeHtml(String(c.sort))}"` : ''}>${c.html}</${tag}>`;
  return [
    // Wide tables (many differing keys) scroll on their own instead of squeezing every cell.
    '<div class="table-wrap">',
    `<table${options.sortable ? ' class="sortable"' : ''}${options.id ? ` id="${options.id}"` : ''}>`,
    `<thead><tr>${head.map((c) => cell('th', c)).join('')}</tr></thead>`,
    `<tbody>${body.map((r) => `<tr>${r.map((c) => cell('td', c)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
    '</div>',
  ].join('\n');
}

/** The whole page: one file, styles and script inline, nothing fetched. */
export function pageHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${pageStyle}</style>
</head>
<body>
${body}
<script>${pageScript}</script>
</body>
</html>
`;
}
