/**
 * Numbers people read (labels, tables, summary.md, the terminal) get 4 significant digits, the
 * way a paper prints them: 0.9412, 2.5e-5, 1234. Files meant for programs (results.csv,
 * metrics.jsonl) keep full precision; this is only for display.
 */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const abs = Math.abs(x);
  // Below 1e-3 or from 1e5 on, positional notation needs many zeros: switch to exponent form.
  if (abs < 1e-3 || abs >= 1e5) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(digits)));
}

/** A swept value as a label: numbers as `formatNumber`, anything else as its JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}
