import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { parseDocument, type Scalar } from 'yaml';
import {
  AnnealError,
  canonicalJson,
  loadExperiment,
  parseOverride,
  parsePath,
  TOKENS,
  type ExperimentConfig,
  type PluginRegistry,
} from '@anneal/core';
import type { LrFindResult } from '@anneal/trainer';
import { loadValid } from '../load.ts';
import type { Outcome } from '../boundary.ts';
import type { Reporter } from '../reporter.ts';

export interface LrFindCommandOptions {
  /** Numbers, or the strings a command line gives. */
  min?: unknown;
  max?: unknown;
  steps?: unknown;
  /** Draw loss against rate to an .svg or .png file. */
  plot?: string;
  /** Write the config with the suggested rate: `true` for `<name>.lr-found.yaml` beside it, or a path. */
  apply?: string | boolean;
  /** Print the result as JSON on stdout instead of the table. */
  json?: boolean;
}

// fastai's defaults for lr_find (start_lr 1e-7, end_lr 10, num_it 100); 200 steps resolve the
// curve finer (≈ 10 % apart) for little time on the small models anneal trains.
const DEFAULTS = { min: 1e-7, max: 10, steps: 200 };
const ROWS = 12;
const hint = 'e.g. exp lr-find config.yaml --min 1e-6 --max 1 --steps 100';

function number(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n))
    throw new AnnealError('USAGE', `--${name} must be a number (got ${JSON.stringify(value)})`, { hint });
  return n;
}

/** The range, checked before anything is loaded: a bad flag should not cost a data download. */
function range(options: LrFindCommandOptions) {
  const min = number('min', options.min, DEFAULTS.min);
  const max = number('max', options.max, DEFAULTS.max);
  const steps = number('steps', options.steps, DEFAULTS.steps);
  if (!(min > 0))
    throw new AnnealError('USAGE', `--min must be > 0 (got ${min}): the rates are spaced on a log scale`, { hint });
  if (!(max > min))
    throw new AnnealError('USAGE', `--max must be greater than --min (got min ${min}, max ${max})`, { hint });
  if (!Number.isInteger(steps) || steps < 10)
    throw new AnnealError('USAGE', `--steps must be a whole number ≥ 10 (got ${steps})`, {
      hint: 'the suggestion needs points past the first noisy ones; 100–200 is usual',
    });
  return { min, max, steps };
}

/** Where `--apply` writes: the given path, else `<name>.lr-found.yaml` beside the config. */
export function appliedPath(file: string, apply: string | true): string {
  if (typeof apply === 'string') return resolve(apply);
  return join(dirname(resolve(file)), `${basename(file, extname(file))}.lr-found.yaml`);
}

/** Two significant digits, as the suggestion is rounded. */
const short = (x: number) => (Math.abs(x) < 1e-3 ? x.toExponential(1) : String(x));
const fmt = (x: number) =>
  x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e4 ? x.toExponential(2) : x.toPrecision(3);

/** About a dozen rows spread over the curve, plus the suggestion and the minimum, marked. */
function table(result: LrFindResult, suggested: number): string {
  const n = result.lr.length;
  const best = result.smoothed.indexOf(Math.min(...result.smoothed));
  const marks = new Map<number, string>([[best, '← minimum']]);
  if (suggested >= 0) marks.set(suggested, '← suggested');
  const rows = new Set<number>(marks.keys());
  for (let k = 0; k < ROWS; k++) rows.add(Math.round((k * (n - 1)) / (ROWS - 1)));
  const lines = [`  ${'lr'.padStart(9)}  ${'loss'.padStart(8)}  ${'smoothed'.padStart(8)}`];
  for (const i of [...rows].sort((a, b) => a - b)) {
    lines.push(
      `  ${fmt(result.lr[i]).padStart(9)}  ${result.loss[i].toFixed(4).padStart(8)}  ${result.smoothed[i].toFixed(4).padStart(8)}${marks.has(i) ? `  ${marks.get(i)}` : ''}`,
    );
  }
  return lines.join('\n');
}

/**
 * Writes the config again with `optimizer.learningRate` (and the command's overrides, so the copy
 * is the experiment that was tested) edited in the YAML document: comments, key order and
 * `extends:` stay as written, and a section that only `extends` provides is created as a
 * partial that the deep merge completes. Returns a problem when the copy does not load back to
 * the tested config.
 */
async function writeApplied(
  file: string,
  target: string,
  overrides: string[],
  rate: number,
  note: string,
  tested: ExperimentConfig,
  registry: PluginRegistry,
): Promise<string | undefined> {
  const doc = parseDocument(readFileSync(file, 'utf8'));
  for (const o of overrides.map(parseOverride)) {
    const keys = parsePath(o.path);
    try {
      if (!o.remove) doc.setIn(keys, o.value);
      else if (doc.hasIn(keys)) doc.deleteIn(keys);
    } catch {
      // e.g. a key under what the file has as a scalar; the check below reports the copy as different.
    }
  }
  doc.setIn(['optimizer', 'learningRate'], rate);
  (doc.getIn(['optimizer', 'learningRate'], true) as Scalar).comment = ` ${note}`;
  writeFileSync(target, doc.toString());

  const copy = await loadExperiment(target, [], registry);
  if (copy.errors.length || !copy.config) return `it does not load: ${copy.errors[0]?.message ?? 'invalid'}`;
  const expected = { ...tested, optimizer: { ...tested.optimizer, learningRate: rate } };
  if (canonicalJson(copy.config) !== canonicalJson(expected))
    return 'it does not resolve to the tested config (an override could not be written into the file); check it before running it';
  return undefined;
}

/** `exp lr-find config.yaml [overrides]`: Leslie Smith's range test; prints a suggested base rate. */
export async function lrFind(
  container: DependencyContainer,
  file: string,
  overrides: string[],
  options: LrFindCommandOptions,
): Promise<Outcome> {
  const { min, max, steps } = range(options);
  const plot = options.plot ? await import('@anneal/plot') : undefined;
  if (options.plot && !(plot!.chartExtensions as readonly string[]).includes(extname(options.plot).toLowerCase())) {
    throw new AnnealError(
      'USAGE',
      `--plot ${options.plot}: unsupported extension (supported: ${plot!.chartExtensions.join(', ')})`,
    );
  }
  const target = options.apply ? appliedPath(file, options.apply) : undefined;
  if (target && target === resolve(file))
    throw new AnnealError('USAGE', '--apply would overwrite the config itself', {
      hint: 'give another file name, or --apply alone for <name>.lr-found.yaml',
    });

  const loaded = await loadValid(container, file, overrides);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  reporter.info(
    `range test: ${steps} steps, lr ${fmt(min)} → ${fmt(max)}, ${loaded.config.optimizer.name}, batch ${loaded.config.train.batchSize}`,
  );
  const trainer = await import('@anneal/trainer');
  const result = await trainer.lrFind({ config: loaded.config, registry: loaded.registry, file }, { min, max, steps });
  const suggestion = result.suggestion === null ? null : Number(result.suggestion.toPrecision(2));

  if (plot && options.plot) {
    await plot.writeChart(
      options.plot,
      plot.lossVsLrChart({
        lr: result.lr,
        loss: result.loss,
        suggestion: suggestion ?? undefined,
        title: `LR range test — ${loaded.config.name}`,
      }),
    );
    reporter.info(`wrote ${options.plot}`);
  }
  if (options.json) reporter.out(JSON.stringify(result));
  else {
    const ended =
      result.stoppedAt === 'diverged'
        ? `the loss diverged at lr ${fmt(result.lr.at(-1)!)}`
        : result.stoppedAt === 'interrupted'
          ? 'interrupted'
          : 'reached --max';
    reporter.out(
      [
        `${result.lr.length} steps on ${result.backend}; ${ended}`,
        '',
        table(result, result.suggestion === null ? -1 : result.lr.indexOf(result.suggestion)),
        '',
        `lr at the loss minimum: ${fmt(result.minLossLr)}`,
        ...(suggestion === null
          ? []
          : [`suggested learning rate: ${short(suggestion)} (steepest descent of the smoothed loss)`]),
      ].join('\n'),
    );
  }
  if (result.stoppedAt === 'max' && result.minLossLr === result.lr.at(-1)) {
    reporter.info(`note: the loss was still falling at --max ${fmt(max)}; a higher --max shows where it turns`);
  }
  if (suggestion === null) {
    reporter.warn(
      `no suggestion: the smoothed loss did not fall over enough steps before its minimum (at lr ${fmt(result.minLossLr)})\n  hint: widen the range (a lower --min, a higher --max) or take more --steps`,
    );
    return 'failed';
  }
  if (target) {
    const note = `exp lr-find: steepest descent, ${fmt(min)}..${fmt(max)} in ${steps} steps`;
    const problem = await writeApplied(
      file,
      target,
      overrides,
      suggestion,
      note,
      loaded.config,
      container.resolve<PluginRegistry>(TOKENS.Registry),
    );
    if (problem) {
      reporter.warn(`wrote ${target}, but ${problem}`);
      return 'failed';
    }
    reporter.info(`wrote ${target} (optimizer.learningRate: ${short(suggestion)})`);
  }
  return 'ok';
}
