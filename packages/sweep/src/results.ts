import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError, expCommand, formatNumber as fmt, formatValue as show, type SweepPoint } from '@anneal/core';
import { pairedTest, summarize, type TestResult, welchTest } from './stats.ts';
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
  /** Set for a trial run by `exp worker`: the host and the run directory there. */
  host?: string;
  runDir?: string;
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

type TrialSummary = { status?: string; message?: string; seconds?: number; host?: string; runDir?: string };

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
    ...(summary.host ? { host: summary.host, runDir: summary.runDir } : {}),
  };
}

/**
 * Only a completed trial with a value is a result: a failed, diverged, damaged or unfinished
 * trial's curve (however good before it stopped) never ranks, and so is never named best.
 */
export const ranks = (r: TrialRow): r is TrialRow & { best: number } => r.status === 'completed' && r.best !== null;

/**
 * Completed trials best first by the metric's best value; ties (common with accuracy on a small
 * validation set) go to the better final value, then to the faster trial. All other trials come
 * after them, in plan order.
 */
export function rank(rows: TrialRow[], goal: 'max' | 'min'): TrialRow[] {
  const sign = goal === 'max' ? -1 : 1;
  const key = (r: TrialRow) => (!ranks(r) ? Infinity : sign * r.best);
  const final = (r: TrialRow) => (r.final === null ? Infinity : sign * r.final);
  return [...rows].sort(
    (a, b) =>
      key(a) - key(b) ||
      (ranks(a) && ranks(b) ? final(a) - final(b) || (a.seconds ?? Infinity) - (b.seconds ?? Infinity) : 0),
  );
}

export interface PointStats {
  point: SweepPoint;
  /** Completed repeats (the values below). */
  n: number;
  mean: number | null;
  /** Sample standard deviation and the half-width of the Student-t 95% interval; null below two values. */
  std: number | null;
  ci95: number | null;
  /** The best metric of each completed repeat, and its seed (repeats share seeds across points). */
  values: number[];
  seeds: number[];
  ids: string[];
  /** Against the best point: the test used and its two-sided p; null for the best itself or too few values. */
  vsBest: TestResult | null;
  /** True when the point cannot be told from the best at α = 0.05; null when there is no noise estimate. */
  withinNoise: boolean | null;
}

/** The significance level of "not distinguishable from the best". */
export const ALPHA = 0.05;

/**
 * Repeats of one point (different seeds) folded into mean, std and a 95% interval of the best
 * metric, ranked by the mean (ties: the better mean final value), and each point tested against
 * the best: a paired t-test on the seeds both ran (anneal's repeats use the same seeds at every
 * point, so differences are paired), else Welch's t-test.
 */
export function groupByPoint(rows: TrialRow[], goal: 'max' | 'min'): PointStats[] {
  const groups = new Map<string, TrialRow[]>();
  for (const r of rows) {
    const key = JSON.stringify(r.point);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const sign = goal === 'max' ? -1 : 1;
  const finals = new Map<PointStats, number>();
  const stats = [...groups.values()].map((g) => {
    const done = g.filter(ranks);
    const values = done.map((r) => r.best);
    const summary = values.length ? summarize(values) : null;
    const s: PointStats = {
      point: g[0].point,
      n: values.length,
      mean: summary?.mean ?? null,
      std: summary?.std ?? null,
      ci95: summary?.ci95 ?? null,
      values,
      seeds: done.map((r) => r.seed),
      ids: g.map((r) => r.id),
      vsBest: null,
      withinNoise: null,
    };
    const f = done.map((r) => r.final).filter((x): x is number => x !== null);
    finals.set(s, f.length ? f.reduce((a, b) => a + b, 0) / f.length : Number.NaN);
    return s;
  });
  const key = (s: PointStats) => (s.mean === null ? Infinity : sign * s.mean);
  const final = (s: PointStats) => (Number.isNaN(finals.get(s)!) ? Infinity : sign * finals.get(s)!);
  stats.sort((a, b) => key(a) - key(b) || final(a) - final(b));
  const best = stats[0];
  if (best && best.n >= 2) {
    for (const s of stats.slice(1)) {
      if (s.n < 2) continue;
      s.vsBest = compare(best, s);
      s.withinNoise = s.vsBest.p >= ALPHA;
    }
  }
  return stats;
}

/** Paired on the seeds both points completed when there are two or more, else Welch. */
function compare(best: PointStats, other: PointStats): TestResult {
  const bySeed = new Map(other.seeds.map((seed, i) => [seed, other.values[i]]));
  const shared = best.seeds.flatMap((seed, i) => (bySeed.has(seed) ? [[best.values[i], bySeed.get(seed)!]] : []));
  if (shared.length >= 2)
    return pairedTest(
      shared.map(([a]) => a),
      shared.map(([, b]) => b),
    );
  return welchTest(best.values, other.values);
}

const cell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Each trial's point statistics, by trial id. */
function pointOf(rows: TrialRow[], goal: 'max' | 'min'): Map<string, PointStats> {
  return new Map(groupByPoint(rows, goal).flatMap((s) => s.ids.map((id) => [id, s] as const)));
}

const pointColumns = (s: PointStats | undefined) =>
  s ? [s.n, s.mean, s.std, s.ci95, s.vsBest?.p ?? null, s.withinNoise] : [null, null, null, null, null, null];

const distributed = (rows: TrialRow[]) => rows.some((r) => r.host !== undefined);

export function toCsv(rows: TrialRow[], keys: string[], metric: string, goal: 'max' | 'min'): string {
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
    'point_n',
    `${metric}_point_mean`,
    `${metric}_point_std`,
    `${metric}_point_ci95`,
    'p_vs_best',
    'within_noise',
    // Only a sweep that ran on a queue has these columns.
    ...(hosts ? ['host', 'run_dir'] : []),
  ];
  const byId = pointOf(rows, goal);
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
      ...pointColumns(byId.get(r.id)),
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

/** 4 significant digits for what people read (results.csv keeps full precision); as @anneal/plot's formatNumber. */
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

/**
 * Says whether the ranking means anything: with repeats, mean ± std and a 95% interval per point
 * and which points cannot be told from the best; with one seed per point, that no noise estimate
 * exists, and how many trials tie at the top.
 */
function noiseSection(stats: PointStats[], ranked: TrialRow[], keys: string[], metric: string): string[] {
  const out: string[] = [];
  const measured = stats.filter((s) => s.n >= 2);
  if (measured.length === 0) {
    out.push(
      '## Noise',
      '',
      'One seed per point: there is no estimate of the noise, so differences between trials may be chance. Rerun with `sweep.repeats: 3` (or more) to get a mean, a 95% interval and a test against the best for each point.',
    );
    const top = ranked[0];
    const tied = top ? ranked.filter((r) => r.best === top.best) : [];
    if (tied.length > 1)
      out.push(
        '',
        `${tied.length} trials tie at the best value (${fmt(top.best)}); they are ordered by their final value, then by time.`,
      );
    out.push('');
    return out;
  }
  const best = stats[0];
  const tests = new Set(measured.map((s) => s.vsBest?.test).filter(Boolean));
  out.push(
    `## Mean over seeds, 95% interval, and noise`,
    '',
    `| rank | ${keys.map(md).join(' | ')} | n | ${md(metric)} mean | std | 95% CI | p vs best | |`,
    `| --- | ${keys.map(() => '---').join(' | ')} | --- | --- | --- | --- | --- | --- |`,
  );
  stats.forEach((s, i) => {
    const ci = s.ci95 === null || s.mean === null ? '—' : `${fmt(s.mean - s.ci95)} … ${fmt(s.mean + s.ci95)}`;
    const mark = s === best ? 'best' : s.withinNoise === null ? '' : s.withinNoise ? '≈ best' : '';
    out.push(
      `| ${s.mean === null ? '—' : i + 1} | ${keys.map((k) => md(show(s.point[k]))).join(' | ')} | ${s.n} | ${fmt(s.mean)} | ${fmt(s.std)} | ${ci} | ${s.vsBest ? fmt(s.vsBest.p) : '—'} | ${mark} |`,
    );
  });
  const others = measured.filter((s) => s !== best);
  const within = others.filter((s) => s.withinNoise);
  out.push(
    '',
    `Points marked ≈ cannot be told from the best at α = ${ALPHA} (two-sided ${[...tests].map((t) => (t === 'paired-t' ? 'paired t-test on shared seeds' : "Welch's t-test")).join(' or ') || 't-test'}).`,
  );
  if (others.length > 0 && within.length === others.length)
    out.push('', '**The differences are within noise**: no point is distinguishable from the best.');
  out.push('');
  return out;
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
      `Trial \`${winner.id}\`: ${keys.map((k) => `\`${md(k)}\` = ${md(show(winner.point[k]))}`).join(', ')} → ${metric} ${fmt(winner.best)} (epoch ${winner.bestEpoch === null ? '—' : winner.bestEpoch + 1}). Its config is \`best.yaml\`; from this directory: \`${expCommand('run best.yaml')}\`.`,
      '',
    );
  }
  out.push(...noiseSection(groupByPoint(rows, goal), rank(rows, goal).filter(ranks), keys, metric));
  out.push('## All trials', '', rankingTable(rows, keys, metric, goal), '');
  const troubled = rows.filter((r) => r.message);
  if (troubled.length) {
    out.push('## Trials that did not complete', '');
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
