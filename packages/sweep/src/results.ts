import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepPoint } from '@anneal/core';
import { paths, type SweepManifest } from './sweep-dir.ts';

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
  /** Set for a trial run by `exp worker`: the host and the run directory there. */
  host?: string;
  runDir?: string;
}

interface EpochRow {
  epoch: number;
  lr: number;
  [metric: string]: number | null;
}

export function readMetrics(dir: string): EpochRow[] {
  const file = join(dir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as EpochRow);
}

/** One row per planned trial, from whatever its run directory holds now (a partial sweep works too). */
export function collectRows(dir: string, manifest: SweepManifest): TrialRow[] {
  const { metric, goal } = manifest.sweep;
  return manifest.trials.map((t) => {
    const trialDir = paths.trial(dir, t.id);
    let summary: { status?: string; message?: string; seconds?: number; host?: string; runDir?: string } = {};
    try {
      summary = JSON.parse(readFileSync(paths.summary(dir, t.id), 'utf8'));
    } catch {
      // not started yet
    }
    const rows = readMetrics(trialDir);
    const values = rows.map((r) => r[metric]).map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
    let best: number | null = null;
    let bestEpoch: number | null = null;
    values.forEach((v, i) => {
      if (v !== null && (best === null || (goal === 'max' ? v > best : v < best)))
        [best, bestEpoch] = [v, rows[i].epoch];
    });
    const status = summary.status ?? 'pending';
    return {
      id: t.id,
      point: t.point,
      repeat: t.repeat,
      seed: t.seed,
      status,
      final: values.at(-1) ?? null,
      best,
      bestEpoch,
      epochs: rows.length,
      seconds: typeof summary.seconds === 'number' ? summary.seconds : null,
      ...(summary.message && status !== 'completed' ? { message: summary.message } : {}),
      ...(summary.host ? { host: summary.host, runDir: summary.runDir } : {}),
    };
  });
}

/** Best first by the metric's best value; trials without a value last. */
export function rank(rows: TrialRow[], goal: 'max' | 'min'): TrialRow[] {
  const key = (r: TrialRow) => (r.best === null ? Infinity : goal === 'max' ? -r.best : r.best);
  return [...rows].sort((a, b) => key(a) - key(b));
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
    const xs = g.map((r) => r.best).filter((x): x is number => x !== null);
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

const distributed = (rows: TrialRow[]) => rows.some((r) => r.host !== undefined);

export function toCsv(rows: TrialRow[], keys: string[], metric: string): string {
  const hosts = distributed(rows);
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
    // Only a sweep that ran on a queue has these columns.
    ...(hosts ? ['host', 'run_dir'] : []),
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
      ...(hosts ? [r.host, r.runDir] : []),
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
        ...(r.host ? { host: r.host, run_dir: r.runDir } : {}),
      }),
    )
    .map((l) => `${l}\n`)
    .join('');
}

const fmt = (x: number | null) =>
  x === null ? '—' : Math.abs(x) >= 1e-3 || x === 0 ? x.toFixed(4) : x.toExponential(3);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** The ranked table as Markdown (summary.md) — also what `exp report` prints. */
export function rankingTable(rows: TrialRow[], keys: string[], metric: string, goal: 'max' | 'min'): string {
  const header = ['rank', 'trial', ...keys, 'seed', 'status', `${metric} best`, `${metric} final`, 'epochs', 'seconds'];
  const lines = rank(rows, goal).map((r, i) => [
    String(i + 1),
    r.id,
    ...keys.map((k) => show(r.point[k])),
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
  const winner = ranked.find((r) => r.best !== null);
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
      `Trial \`${winner.id}\`: ${keys.map((k) => `\`${k}\` = ${show(winner.point[k])}`).join(', ')} → ${metric} ${fmt(winner.best)} (epoch ${winner.bestEpoch}). Its config is \`best.yaml\`: \`exp run best.yaml\`.`,
      '',
    );
  }
  const stats = groupByPoint(rows, goal);
  if (manifest.sweep.repeats > 1) {
    out.push(
      `## Mean ± std over ${manifest.sweep.repeats} seeds`,
      '',
      `| ${keys.join(' | ')} | n | ${metric} mean | std |`,
      `| ${keys.map(() => '---').join(' | ')} | --- | --- | --- |`,
    );
    for (const s of stats)
      out.push(`| ${keys.map((k) => show(s.point[k])).join(' | ')} | ${s.n} | ${fmt(s.mean)} | ${fmt(s.std)} |`);
    out.push('');
  }
  out.push('## All trials', '', rankingTable(rows, keys, metric, goal), '');
  const troubled = rows.filter((r) => r.message);
  if (troubled.length) {
    out.push('## Failed and diverged trials', '');
    for (const r of troubled) out.push(`- \`${r.id}\` (${r.status}): ${r.message}`);
    out.push('');
  }
  if (manifest.dropped.length) {
    out.push('## Points not run', '');
    for (const d of manifest.dropped)
      out.push(
        `- ${keys.map((k) => `${k}=${show(d.point[k])}`).join(', ')}${d.repeat ? ` (repeat ${d.repeat})` : ''}: ${d.reason}`,
      );
    out.push('');
  }
  return out.join('\n');
}
