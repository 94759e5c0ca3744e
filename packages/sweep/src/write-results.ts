import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  collectRows,
  groupByPoint,
  rank,
  ranks,
  readMetrics,
  summaryMarkdown,
  toCsv,
  toJsonl,
  type TrialRow,
} from './results.ts';
import { paths, writeAtomic, type SweepManifest } from './sweep-dir.ts';
import { writeSweepHparams } from './hparams.ts';

const TOP = 5;

/**
 * results.csv / results.jsonl, summary.md, best.yaml and plots/ — all derived from the trial
 * directories, so they can be rebuilt at any time (after each trial, on resume, by `exp report`).
 */
export async function writeResults(
  dir: string,
  manifest: SweepManifest,
  options: { plots?: boolean; rows?: TrialRow[] } = {},
): Promise<TrialRow[]> {
  const rows = options.rows ?? collectRows(dir, manifest);
  const { metric, goal } = manifest.sweep;
  writeAtomic(join(dir, 'results.csv'), toCsv(rows, manifest.keys, metric, manifest.sweep.goal));
  writeAtomic(join(dir, 'results.jsonl'), toJsonl(rows, manifest.keys, metric));
  writeAtomic(join(dir, 'summary.md'), summaryMarkdown(manifest, rows));
  const winner = rank(rows, goal).find(ranks);
  if (winner && existsSync(join(paths.trial(dir, winner.id), 'config.yaml'))) {
    writeAtomic(join(dir, 'best.yaml'), readFileSync(join(paths.trial(dir, winner.id), 'config.yaml'), 'utf8'));
  }
  await writeSweepHparams(dir, manifest, rows);
  if (options.plots !== false) await writePlots(dir, manifest, rows);
  return rows;
}

async function writePlots(dir: string, manifest: SweepManifest, rows: TrialRow[]): Promise<void> {
  const { formatValue, heatmapChart, lineWithErrorChart, scatterChart, seriesChart, writeChart } = await import(
    '@anneal/plot'
  );
  const { metric, goal } = manifest.sweep;
  const keys = manifest.keys;
  const done = rows.filter(ranks);
  if (done.length === 0) return;
  const stats = groupByPoint(done, goal);
  const flat = (p: Record<string, unknown>) =>
    Object.fromEntries(keys.map((k) => [k, typeof p[k] === 'object' ? JSON.stringify(p[k]) : p[k]]));
  // A range parameter (random search) has no grid: one point per trial against its value.
  const continuous = keys.filter((k) => !Array.isArray(manifest.sweep.parameters[k]));
  for (const k of continuous) {
    await writeChart(
      join(dir, 'plots', `${metric}-vs-${k}.svg`),
      scatterChart({
        rows: done.map((r) => ({ [k]: r.point[k] as number, [metric]: r.best })),
        x: k,
        value: metric,
        title: `${metric} (best over epochs) against ${k}`,
      }),
    );
  }
  const grid = manifest.sweep.method === 'grid';
  if (grid && keys.length === 2) {
    await writeChart(
      join(dir, 'plots', 'heatmap.svg'),
      heatmapChart({
        rows: stats.map((s) => ({ ...flat(s.point), [metric]: s.mean })) as never,
        x: keys[0],
        y: keys[1],
        value: metric,
        title: `${metric} (best over epochs${manifest.sweep.repeats > 1 ? ', mean of seeds' : ''})`,
      }),
    );
  } else if (grid && keys.length === 1) {
    await writeChart(
      join(dir, 'plots', `${metric}-by-${keys[0]}.svg`),
      lineWithErrorChart({
        rows: stats.map((s) => ({ ...flat(s.point), mean: s.mean, std: s.std })) as never,
        x: keys[0],
        mean: 'mean',
        std: 'std',
        title: `${metric} by ${keys[0]}`,
      }),
    );
  }
  const top = rank(done, goal).slice(0, TOP);
  const label = (r: TrialRow) =>
    keys.map((k) => `${k.split('.').pop()}=${formatValue(r.point[k])}`).join(' ') +
    (manifest.sweep.repeats > 1 ? ` s${r.seed}` : '');
  const curves = top.map((r) => ({ r, rows: readMetrics(paths.trial(dir, r.id)) }));
  const lrTrace = (r: TrialRow) => {
    const file = join(paths.trial(dir, r.id), 'lr.csv');
    return existsSync(file)
      ? readFileSync(file, 'utf8')
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map((l) => Number(l.split(',')[2]))
      : null;
  };
  const lrs = curves.map(({ r, rows: m }) => ({ name: label(r), y: lrTrace(r) ?? m.map((x) => x.lr) }));
  const perStep = curves.some(({ r }) => lrTrace(r) !== null);
  await writeChart(
    join(dir, 'plots', 'top-lr.svg'),
    seriesChart({
      series: lrs,
      x0: perStep ? 0 : 1,
      xTitle: perStep ? 'step' : 'epoch',
      yTitle: 'learning rate',
      title: `learning rate of the top ${top.length} trials`,
    }),
  );
  await writeChart(
    join(dir, 'plots', `top-${metric}.svg`),
    seriesChart({
      series: curves.map(({ r, rows: m }) => ({
        name: label(r),
        y: m.map((x) => (x[metric] as number | null) ?? null),
      })),
      x0: 1,
      xTitle: 'epoch',
      yTitle: metric,
      title: `${metric} of the top ${top.length} trials`,
    }),
  );
}
