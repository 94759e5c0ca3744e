import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { AnnealError, TOKENS } from '@anneal/core';
import { countByStatus, rank, readManifest, writeResults } from '@anneal/sweep';
import type { Reporter } from '../reporter.ts';
import { expandRunDirs, writeFileAtomic } from './compare.ts';

// Sweep plots whose lines are told apart by a `series` field: the page can toggle them.
const SERIES_PLOTS = /^top-/;

/**
 * `exp report DIR --html [out.html]`: one self-contained page for a run, a sweep, or (several
 * directories) a comparison. Default file: DIR/report.html, or compare.html for a comparison.
 */
export async function reportHtml(
  container: DependencyContainer,
  dirs: string[],
  out: string | undefined,
  options: { metric?: string } = {},
): Promise<string> {
  const plot = await import('@anneal/plot');
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  let html: string;
  let file: string;
  if (dirs.length === 1 && plot.isSweepDir(dirs[0])) {
    const dir = resolve(dirs[0]);
    html = await sweepHtml(dir);
    file = out ?? join(dir, 'report.html');
  } else if (dirs.length === 1 && plot.isRunDir(dirs[0])) {
    const dir = resolve(dirs[0]);
    html = await plot.runPage(plot.readRun(dir));
    file = out ?? join(dir, 'report.html');
  } else {
    const runDirs = await expandRunDirs(dirs);
    if (runDirs.length === 0) throw new AnnealError('USAGE', `${dirs.join(' ')}: no run or sweep directory here`);
    html = await plot.comparePage(plot.compareRuns(runDirs.map(plot.readRun), { metric: options.metric }));
    file = out ?? 'compare.html';
  }
  await writeFileAtomic(file, html);
  reporter.info(`wrote ${file} (${(Buffer.byteLength(html) / 1024).toFixed(0)} KB)`);
  return file;
}

async function sweepHtml(dir: string): Promise<string> {
  const plot = await import('@anneal/plot');
  const manifest = readManifest(dir);
  const rows = await writeResults(dir, manifest);
  const { metric, goal } = manifest.sweep;
  const counts = countByStatus(rows);
  const ranked = rank(rows, goal);
  const runs = new Map(
    ranked.flatMap((r) => {
      const trialDir = join(dir, 'trials', r.id);
      return plot.isRunDir(trialDir) ? [[r.id, plot.readRun(trialDir)] as const] : [];
    }),
  );
  const plotsDir = join(dir, 'plots');
  let files: string[] = [];
  try {
    files = readdirSync(plotsDir)
      .filter((f) => f.endsWith('.svg'))
      .sort();
  } catch {
    // no plots (every trial failed, or --no-plots)
  }
  return plot.sweepPage({
    name: manifest.name,
    summary: `${rows.length} trials (${Object.entries(counts)
      .map(([s, n]) => `${n} ${s}`)
      .join(
        ', ',
      )}), ${manifest.sweep.method} search over ${manifest.keys.join(', ')}; ranked by the best ${metric} over epochs (${goal}).`,
    keys: manifest.keys,
    metric,
    trials: ranked,
    plots: files.map((f) => ({
      name: f.replace(/\.svg$/, ''),
      svg: readFileSync(join(plotsDir, f), 'utf8'),
      ...(SERIES_PLOTS.test(f) ? { series: 'series' } : {}),
    })),
    runs,
  });
}
