import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError, type SweepPoint } from '@anneal/core';
import { finished, paths, type SweepManifest } from './sweep-dir.ts';

export interface TrialRow {
  id: string;
  point: SweepPoint;
  repeat: number;
  seed: number;
  status: string;
  /** The metric at the last epoch and its best value over epochs (by `goal`). */
  final: number | null;
  best: number | null;
  bestEpoch: number | null;
  epochs: number;
  seconds: number | null;
  message?: string;
}

interface EpochRow {
  epoch: number;
  lr: number;
  [metric: string]: number | null;
}

/**
 * A run's metrics.jsonl. A line that is not JSON is damage, reported with file and line (a
 * DIR_DAMAGED error) — except an unterminated last line of a run still being written
 * (`partialTail`), which is a row in the middle of being appended.
 */
export function readMetrics(dir: string, options: { partialTail?: boolean } = {}): EpochRow[] {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  if (last && !options.partialTail) lines.push(last);
  return lines.flatMap((line, i) => {
    if (!line) return [];
    try {
      return [JSON.parse(line) as EpochRow];
    } catch {
      throw new AnnealError('DIR_DAMAGED', `${file}:${i + 1}: not a JSON row (the file is cut or damaged)`, {
        hint: 'rerun the trial (delete its directory and `exp sweep --resume`), or restore the file',
      });
    }
  });
}

type TrialSummary = { status?: string; message?: string; seconds?: number };

/** A trial's summary.json, undefined if it has none yet; damage throws DIR_DAMAGED naming the file. */
function readTrialSummary(file: string): TrialSummary | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TrialSummary;
  } catch (error) {
    throw new AnnealError('DIR_DAMAGED', `${file} is damaged: ${(error as Error).message}`);
  }
}

/**
 * One row per planned trial, from whatever its run directory holds now (a partial sweep works
 * too). A trial whose files are damaged becomes a `damaged` row carrying the error, so one bad
 * trial does not take the whole sweep's results with it.
 */
export function collectRows(dir: string, manifest: SweepManifest): TrialRow[] {
  return manifest.trials.map((t) => collectRow(dir, manifest, t));
}

/** One trial's row (see collectRows). */
export function collectRow(dir: string, manifest: SweepManifest, t: SweepManifest['trials'][number]): TrialRow {
  const { metric, goal } = manifest.sweep;
  const row = { id: t.id, point: t.point, repeat: t.repeat, seed: t.seed };
  try {
    return { ...row, ...trialResult(dir, t.id, metric, goal) };
  } catch (error) {
    if (!(error instanceof AnnealError)) throw error;
    const none = { final: null, best: null, bestEpoch: null, epochs: 0, seconds: null };
    return { ...row, ...none, status: 'damaged', message: error.message };
  }
}

function trialResult(dir: string, id: string, metric: string, goal: 'max' | 'min') {
  const summary = readTrialSummary(paths.summary(dir, id)) ?? {};
  const status = summary.status ?? 'pending';
  const rows = readMetrics(paths.trial(dir, id), { partialTail: !finished(status) });
  const values = rows.map((r) => r[metric]).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
  let best: number | null = null;
  let bestEpoch: number | null = null;
  values.forEach((v, i) => {
    if (v !== null && (best === null || (goal === 'max' ? v > best : v < best))) [best, bestEpoch] = [v, rows[i].epoch];
  });
  return {
    status,
    final: values.at(-1) ?? null,
    best,
    bestEpoch,
    epochs: rows.length,
    seconds: typeof summary.seconds === 'number' ? summary.seconds : null,
    ...(summary.message && status !== 'completed' ? { message: summary.message } : {}),
  };
}

/**
 * Only a completed trial with a value is a result: a failed, diverged, damaged or unfinished
 * trial's curve (however good before it stopped) never ranks, and so is never named best.
 */
export const ranks = (r: TrialRow): r is TrialRow & { best: number } => r.status === 'completed' && r.best !== null;

/** Completed trials best first by the metric's best value; all other trials after them, in plan order. */
export function rank(rows: TrialRow[], goal: 'max' | 'min'): TrialRow[] {
  const key = (r: TrialRow) => (!ranks(r) ? Infinity : goal === 'max' ? -r.best : r.best);
  return [...rows].sort((a, b) => key(a) - key(b) || 0);
}

export interface PointStats {
  point: SweepPoint;
  n: number;
  mean: number | null;
  std: number | null;
  ids: string[];
}

/** Repeats of one point (different seeds) folded into mean ± sample std of the best metric. */
export function groupByPoint(rows: TrialRow[], goal: 'max' | 'min'): PointStats[] {
  const groups = new Map<string, TrialRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(r.point);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const stats = [...groups.values()].map((g) => {
    const xs = g.filter(ranks).map((r) => r.best);
    const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    const std =
      xs.length > 1 && mean !== null ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1)) : null;
    return { point: g[0].point, n: xs.length, mean, std, ids: g.map((r) => r.id) };
  });
  const key = (s: PointStats) => (s.mean === null ? Infinity : goal === 'max' ? -s.mean : s.mean);
  return stats.sort((a, b) => key(a) - key(b));
}

const cell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows: TrialRow[], keys: string[], metric: string): string {
  const header = [
    'id',
    ...keys,
    'repeat',
    'seed',
    'status',
    `${metric}_final`,
    `${metric}_best`,
    'best_epoch',
    'epochs',
    'seconds',
    'message',
  ];
  const lines = rows.map((r) =>
    [
      r.id,
      ...keys.map((k) => r.point[k]),
      r.repeat,
      r.seed,
      r.status,
      r.final,
      r.best,
      r.bestEpoch,
      r.epochs,
      r.seconds,
      r.message,
    ]
      .map(cell)
      .join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export function toJsonl(rows: TrialRow[], keys: string[], metric: string): string {
  return rows
    .map((r) =>
      JSON.stringify({
        id: r.id,
        ...Object.fromEntries(keys.map((k) => [k, r.point[k]])),
        repeat: r.repeat,
        seed: r.seed,
        status: r.status,
        [`${metric}_final`]: r.final,
        [`${metric}_best`]: r.best,
        best_epoch: r.bestEpoch,
        epochs: r.epochs,
        seconds: r.seconds,
        ...(r.message ? { message: r.message } : {}),
      }),
    )
    .map((l) => `${l}\n`)
    .join('');
}

/** 4 significant digits for what people read (results.csv keeps full precision); as @anneal/plot's formatNumber. */
const fmt = (x: number | null): string => {
  if (x === null) return '—';
  if (!Number.isFinite(x) || x === 0) return String(x);
  const abs = Math.abs(x);
  return abs < 1e-3 || abs >= 1e5 ? x.toExponential(3).replace(/\.?0+e/, 'e') : String(Number(x.toPrecision(4)));
};
const show = (v: unknown) => (typeof v === 'number' ? fmt(v) : typeof v === 'string' ? v : JSON.stringify(v));
/** Text for Markdown: a `|` would end a table cell and a newline the table (or the list item). */
export const md = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');

/** The ranked table as Markdown (summary.md) — also what `exp report` prints. */
export function rankingTable(rows: TrialRow[], keys: string[], metric: string, goal: 'max' | 'min'): string {
  const header = [
    'rank',
    'trial',
    ...keys,
    'seed',
    'status',
    `${metric} best`,
    `${metric} final`,
    'epochs',
    'seconds',
  ].map(md);
  const lines = rank(rows, goal).map((r, i) => [
    ranks(r) ? String(i + 1) : '—',
    r.id,
    ...keys.map((k) => md(show(r.point[k]))),
    String(r.seed),
    r.status,
    fmt(r.best),
    fmt(r.final),
    String(r.epochs),
    r.seconds === null ? '—' : r.seconds.toFixed(1),
  ]);
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...lines.map((l) => `| ${l.join(' | ')} |`),
  ].join('\n');
}

/** How many trials are in each status (`completed`, `failed`, …). */
export function countByStatus(rows: TrialRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

export function summaryMarkdown(manifest: SweepManifest, rows: TrialRow[]): string {
  const { metric, goal } = manifest.sweep;
  const keys = manifest.keys;
  const ranked = rank(rows, goal);
  const winner = ranked.find(ranks);
  const counts = countByStatus(rows);
  const out = [
    `# Sweep: ${manifest.name}`,
    '',
    `${rows.length} trials (${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(
        ', ',
      )}), ${manifest.sweep.method} search over ${keys.join(', ')}; ranked by the best \`${metric}\` over epochs (${goal}).`,
    '',
  ];
  if (winner) {
    out.push(
      '## Best configuration',
      '',
      `Trial \`${winner.id}\`: ${keys.map((k) => `\`${md(k)}\` = ${md(show(winner.point[k]))}`).join(', ')} → ${metric} ${fmt(winner.best)} (epoch ${winner.bestEpoch}). Its config is \`best.yaml\`: \`exp run best.yaml\`.`,
      '',
    );
  }
  const stats = groupByPoint(rows, goal);
  if (manifest.sweep.repeats > 1) {
    out.push(
      `## Mean ± std over ${manifest.sweep.repeats} seeds`,
      '',
      `| ${keys.map(md).join(' | ')} | n | ${md(metric)} mean | std |`,
      `| ${keys.map(() => '---').join(' | ')} | --- | --- | --- |`,
    );
    for (const s of stats)
      out.push(`| ${keys.map((k) => md(show(s.point[k]))).join(' | ')} | ${s.n} | ${fmt(s.mean)} | ${fmt(s.std)} |`);
    out.push('');
  }
  out.push('## All trials', '', rankingTable(rows, keys, metric, goal), '');
  const troubled = rows.filter((r) => r.message);
  if (troubled.length) {
    out.push('## Failed and diverged trials', '');
    for (const r of troubled) out.push(`- \`${r.id}\` (${r.status}): ${md(r.message ?? '')}`);
    out.push('');
  }
  if (manifest.dropped.length) {
    out.push('## Points not run', '');
    for (const d of manifest.dropped)
      out.push(
        `- ${keys.map((k) => `${md(k)}=${md(show(d.point[k]))}`).join(', ')}${d.repeat ? ` (repeat ${d.repeat})` : ''}: ${md(d.reason)}`,
      );
    out.push('');
  }
  return out.join('\n');
}
