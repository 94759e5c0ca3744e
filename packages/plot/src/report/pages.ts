import { formatNumber, formatValue } from '../format.ts';
import { lrChart } from '../lr-chart.ts';
import { metricsChart } from '../metrics-chart.ts';
import { isFiniteNumber } from '../spec.ts';
import type { Comparison } from './compare.ts';
import { comparisonPanel, comparisonTable, groupTable } from './compare-view.ts';
import { chartHtml, escapeHtml, pageHtml, tableHtml } from './html-page.ts';
import type { RunData } from './run-dir.ts';

const METRICS = ['loss', 'val_loss', 'acc', 'val_acc'];
const metricsOf = (run: RunData) => METRICS.filter((m) => run.metrics.some((r) => isFiniteNumber(r[m])));

function summaryRows(run: RunData): string[][] {
  const s = run.summary ?? {};
  const last = run.metrics.at(-1) ?? {};
  return [
    ['', ''],
    ['status', `${s.status ?? 'unknown'}${s.message ? `: ${s.message}` : ''}`],
    ['epochs', String(run.metrics.length)],
    ...(s.steps !== undefined ? [['steps', String(s.steps)]] : []),
    ...(s.best ? [[`best ${s.best.monitor}`, `${formatNumber(s.best.value)} (epoch ${s.best.epoch + 1})`]] : []),
    ...metricsOf(run).map((m) => [`final ${m}`, formatNumber(last[m] as number)]),
    ['time', s.seconds !== undefined ? `${formatNumber(s.seconds, 3)} s` : '—'],
    ['samples/s', formatNumber(s.samplesPerSecond ?? null, 3)],
    ...(s.seed !== undefined ? [['seed', String(s.seed)]] : []),
    ...(s.backend ? [['backend', s.backend]] : []),
    ...(s.startedAt ? [['started', s.startedAt]] : []),
    ['directory', run.dir],
  ];
}

/** The charts of one run: its learning rate and its metrics, with hover values and toggles. */
async function runCharts(run: RunData, idPrefix: string): Promise<string> {
  const unit = run.lrSteps ? 'step' : 'epoch';
  const lr = run.lrSteps ?? run.metrics.map((r) => r.lr as number);
  const charts = [];
  if (lr.length)
    charts.push(
      await chartHtml(lrChart({ unit, series: [{ name: run.name, lr }], title: `learning rate — ${run.name}` }), {
        id: `${idPrefix}lr`,
      }),
    );
  const metrics = metricsOf(run);
  if (metrics.length)
    charts.push(
      await chartHtml(metricsChart({ rows: run.metrics, metrics, title: run.name }), {
        id: `${idPrefix}metrics`,
        series: 'split',
      }),
    );
  return charts.join('\n');
}

/** `exp report RUN_DIR --html`: summary, charts and config of one run. */
export async function runPage(run: RunData): Promise<string> {
  const body = [
    `<h1>Run: ${escapeHtml(run.name)}</h1>`,
    '<h2>Summary</h2>',
    tableHtml(summaryRows(run)).replace('<thead><tr><th></th><th></th></tr></thead>', ''),
    '<h2>Charts</h2>',
    await runCharts(run, ''),
    '<h2>Config</h2>',
    `<pre>${escapeHtml(run.configText)}</pre>`,
  ];
  return pageHtml(`anneal run ${run.name}`, body.join('\n'));
}

/** One trial of a sweep as the sweep page lists it (built from the sweep's results by the caller). */
export interface SweepTrialRow {
  id: string;
  point: Record<string, unknown>;
  seed: number;
  status: string;
  best: number | null;
  bestEpoch: number | null;
  final: number | null;
  epochs: number;
  seconds: number | null;
}

export interface SweepPageInput {
  name: string;
  summary: string;
  keys: string[];
  metric: string;
  /** Ranked, best first. */
  trials: SweepTrialRow[];
  /** The sweep's plots (plots/*.svg), already drawn; `series` as for `chartHtml`. */
  plots: Array<{ name: string; svg: string; series?: string }>;
  /** Each trial's run directory, by id. */
  runs: Map<string, RunData>;
}

/**
 * `exp report SWEEP_DIR --html`: the ranking as a sortable table whose rows link to a section
 * per trial (its point, summary and one compact metrics chart), the sweep's plots, and no more:
 * per-trial charts are small so a sweep of dozens of trials stays within a few MB.
 */
export async function sweepPage(input: SweepPageInput): Promise<string> {
  const { keys, metric } = input;
  const head = [
    'rank',
    'trial',
    ...keys,
    'seed',
    'status',
    `${metric} best`,
    'best epoch',
    `${metric} final`,
    'epochs',
    'seconds',
  ];
  const num = (x: number | null, digits = 4) => ({ html: formatNumber(x, digits), sort: x ?? '' });
  const rows = input.trials.map((t, i) => [
    String(i + 1),
    { html: `<a href="#trial-${escapeHtml(t.id)}">${escapeHtml(t.id)}</a>`, sort: t.id },
    ...keys.map((k) => ({
      html: escapeHtml(formatValue(t.point[k])),
      sort: typeof t.point[k] === 'number' ? (t.point[k] as number) : formatValue(t.point[k]),
    })),
    String(t.seed),
    t.status,
    num(t.best),
    num(t.bestEpoch === null ? null : t.bestEpoch + 1),
    num(t.final),
    String(t.epochs),
    num(t.seconds, 3),
  ]);
  const sections = [];
  for (const t of input.trials) {
    const run = input.runs.get(t.id);
    const point = keys.map((k) => `${escapeHtml(k)} = ${escapeHtml(formatValue(t.point[k]))}`).join(', ');
    const family = metric.replace(/^val_/, '');
    const metrics = run ? [family, `val_${family}`].filter((m) => run.metrics.some((r) => isFiniteNumber(r[m]))) : [];
    sections.push(
      `<section id="trial-${escapeHtml(t.id)}"><h3>Trial ${escapeHtml(t.id)}</h3><p>${point}; seed ${t.seed}; ${escapeHtml(t.status)}; ${escapeHtml(metric)} best ${formatNumber(t.best)}</p>`,
      run && metrics.length
        ? await chartHtml(metricsChart({ rows: run.metrics, metrics, title: `${t.id}: ${point}` }), {
            id: `chart-${t.id}`,
            series: 'split',
          })
        : '<p class="muted">no metrics yet</p>',
      '<p><a href="#results">back to the results</a></p></section>',
    );
  }
  const body = [
    `<h1>Sweep: ${escapeHtml(input.name)}</h1>`,
    `<p>${escapeHtml(input.summary)}</p>`,
    '<h2 id="results">Results</h2>',
    '<p class="muted">Click a column header to sort; a trial links to its section.</p>',
    tableHtml([head, ...rows], { sortable: true, id: 'results-table' }),
    '<h2>Charts</h2>',
    ...input.plots.map(
      (p) =>
        `<div class="chart" id="plot-${escapeHtml(p.name)}"${p.series ? ` data-series="${escapeHtml(p.series)}"` : ''}>${p.svg}</div>`,
    ),
    '<h2>Trials</h2>',
    ...sections,
  ];
  return pageHtml(`anneal sweep ${input.name}`, body.join('\n'));
}

/** `exp compare … --html` (and `exp report DIR DIR… --html`): the comparison table, overlaid curves, configs. */
export async function comparePage(c: Comparison, title = `Comparison of ${c.runs.length} runs`): Promise<string> {
  const panels = [];
  for (const q of ['lr', 'metric'] as const)
    for (const a of ['epoch', 'step'] as const)
      panels.push(await chartHtml(comparisonPanel(c, q, a), { id: `${q}-by-${a}`, series: 'run' }));
  const table = comparisonTable(c);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>Ranked metric: <b>${escapeHtml(c.metric)}</b> (${c.goal === 'max' ? 'higher' : 'lower'} is better). Only the config keys that differ are shown.</p>`,
    '<h2>Runs</h2>',
    tableHtml(table, { sortable: true, id: 'compare-table' }),
    ...(c.groups.some((g) => g.runs.length > 1)
      ? ['<h3>Repeats (same config, different seeds)</h3>', tableHtml(groupTable(c), { sortable: true })]
      : []),
    '<h2>Curves</h2>',
    '<p class="muted">Repeats are drawn as their mean with a band of ± one standard deviation. Click a legend entry to hide or show it; hover a point for its values.</p>',
    ...panels,
    '<h2>Configs</h2>',
    ...c.runs.map(
      (r) =>
        `<details><summary>${escapeHtml(r.label)} <span class="muted">${escapeHtml(r.run.dir)}</span></summary><pre>${escapeHtml(r.run.configText)}</pre></details>`,
    ),
  ];
  return pageHtml(title, body.join('\n'));
}
