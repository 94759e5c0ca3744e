import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { glob, isDynamicPattern } from 'tinyglobby';
import { AnnealError, TOKENS } from '@anneal/core';
import type { Reporter } from '../reporter.ts';

export interface CompareCommandOptions {
  metric?: string;
  /** Write the overlaid curves to an .svg or .png file. */
  plot?: string;
  /** Write the comparison as one self-contained HTML page. */
  html?: string;
}

/**
 * Run directories from the command line: directories as given, quoted globs expanded, and a
 * sweep directory replaced by its trials' run directories. Order is kept; duplicates dropped.
 */
export async function expandRunDirs(args: string[]): Promise<string[]> {
  const plot = await import('@anneal/plot');
  const out: string[] = [];
  for (const arg of args) {
    const matches = isDynamicPattern(arg)
      ? (await glob(arg, { onlyDirectories: true, absolute: true, expandDirectories: false })).sort()
      : [resolve(arg)];
    if (matches.length === 0)
      throw new AnnealError('USAGE', `"${arg}" matches no directory`, {
        hint: 'check the pattern; quote it so the shell leaves it to exp',
      });
    for (const m of matches) {
      const dir = m.replace(/\/$/, '');
      if (!existsSync(dir)) throw new AnnealError('USAGE', `${arg}: no such directory`);
      if (plot.isSweepDir(dir)) out.push(...plot.sweepTrialDirs(dir));
      else if (plot.isRunDir(dir)) out.push(dir);
      else if (!isDynamicPattern(arg))
        throw new AnnealError('USAGE', `${arg} is not a run directory (no metrics.jsonl or summary.json)`, {
          hint: 'pass directories written by `exp run`, a sweep directory, or its trials/<id> directories',
        });
    }
  }
  return [...new Set(out)];
}

/** Writes a file whole or not at all (beside it, then renamed). */
export async function writeFileAtomic(file: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

/** `exp compare RUN_DIR…`: config differences, best and final metrics, time; curves overlaid. */
export async function compare(
  container: DependencyContainer,
  args: string[],
  options: CompareCommandOptions,
): Promise<void> {
  const plot = await import('@anneal/plot');
  if (
    options.plot &&
    !(plot.chartExtensions as readonly string[]).includes(
      options.plot.slice(options.plot.lastIndexOf('.')).toLowerCase(),
    )
  )
    throw new AnnealError(
      'USAGE',
      `--plot ${options.plot}: unsupported extension (supported: ${plot.chartExtensions.join(', ')})`,
    );
  const dirs = await expandRunDirs(args);
  if (dirs.length < 2)
    throw new AnnealError('USAGE', `exp compare needs at least two run directories (got ${dirs.length})`, {
      hint: 'e.g. exp compare runs/a/* runs/b/*, or a sweep directory; for one run use `exp report DIR --html`',
    });
  const runs = dirs.map(plot.readRun);
  const metric = options.metric;
  if (metric && !runs.some((r) => r.metrics.some((row) => typeof row[metric] === 'number')))
    throw new AnnealError('USAGE', `--metric ${metric}: no run has it`, {
      hint: `metrics in these runs: ${[...new Set(runs.flatMap((r) => Object.keys(r.metrics[0] ?? {})))].join(', ')}`,
    });
  const c = plot.compareRuns(runs, { metric });
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  const lines = [
    `${c.runs.length} runs; ${c.metric} (${c.goal === 'max' ? 'higher' : 'lower'} is better); config keys that differ: ${c.keys.length ? c.keys.join(', ') : 'none'}`,
    '',
    plot.textTable(plot.comparisonTable(c)),
  ];
  if (c.groups.some((g) => g.runs.length > 1))
    lines.push('', 'repeats (same config, different seeds):', plot.textTable(plot.groupTable(c)));
  reporter.out(lines.join('\n'));
  if (options.plot) {
    await plot.writeChart(
      options.plot,
      plot.comparisonChart(c, `${c.metric} and learning rate of ${c.runs.length} runs`),
    );
    reporter.info(`wrote ${options.plot}`);
  }
  if (options.html) {
    await writeFileAtomic(options.html, await plot.comparePage(c));
    reporter.info(`wrote ${options.html}`);
  }
}
