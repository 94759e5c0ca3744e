import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import {
  AnnealError,
  createSchedule,
  runPlan,
  type ExperimentConfig,
  type PluginSection,
  type ScheduleSpecOf,
  type ScheduleTime,
  type SweepConfig,
  type TimedSchedule,
} from '@anneal/core';
import { schedules as cosineSchedules } from '@anneal/schedule-cosine-warmup';
import { schedules as cyclicalSchedules } from '@anneal/schedule-cyclical';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import { schedules as timmSchedules } from '@anneal/schedule-timm';
import { collectRows, finished as finishedStatus, paths, rank, readManifest, type TrialRow } from '@anneal/sweep';
import type { RunSummary, TrainerHooks } from '@anneal/trainer';
import { stringify } from 'yaml';
import { exitCodeOf } from './boundary.ts';
import { loadValid, runScope } from './load.ts';
import type { Reporter } from './reporter.ts';
import { createRoot } from './root.ts';

/** Every built-in schedule plugin (what `exp plugins schedule` lists). */
export const builtinSchedules = [...stepSchedules, ...cosineSchedules, ...cyclicalSchedules, ...timmSchedules];

/** A built-in schedule by name, typed by its options: `schedule({ name: 'cosine-warmup', warmup: '1ep' }, time)`. */
export function builtinSchedule(
  spec: ScheduleSpecOf<(typeof builtinSchedules)[number]>,
  time: ScheduleTime,
): TimedSchedule {
  return createSchedule(builtinSchedules, spec, time);
}

/**
 * An experiment as an object, the shape of an experiment file: sections that have defaults may be
 * left out or given in part. `exp schema` prints the full JSON Schema.
 */
export interface ExperimentInput {
  name: string;
  seed?: number;
  /** Plugin files or packages; relative paths resolve against `baseDir`. */
  plugins?: string[];
  data?: PluginSection;
  model?: PluginSection;
  optimizer: ExperimentConfig['optimizer'];
  schedule?: PluginSection & { unit?: 'epoch' | 'step'; reduceOnPlateau?: Record<string, unknown> };
  train?: Partial<ExperimentConfig['train']>;
  output?: Partial<ExperimentConfig['output']>;
  sweep?: Partial<Omit<SweepConfig, 'parameters'>> & { parameters: Record<string, unknown> };
}

/** A library prints nothing unless asked: the default reporter drops everything. */
const silent: Reporter = { tty: false, out: () => {}, info: () => {}, warn: () => {} };

export interface ApiOptions {
  /** `key=value` overrides, as on the command line. */
  overrides?: string[];
  /** Where relative paths of an object config resolve (default: the current directory). */
  baseDir?: string;
  /** Progress and warnings go here; default: silent (a library prints nothing). */
  reporter?: Reporter;
}

/**
 * An object config goes through the same loading as a file (extends, plugins, validation with
 * key paths): it is written as YAML to a temp directory, with its plugin paths made absolute.
 */
function configFile(config: ExperimentInput | string, baseDir = process.cwd()): string {
  if (typeof config === 'string') return config;
  const plugins = config.plugins?.map((p) => (p.startsWith('.') || isAbsolute(p) ? resolve(baseDir, p) : p));
  const file = join(mkdtempSync(join(tmpdir(), 'anneal-api-')), `${config.name}.yaml`);
  writeFileSync(file, stringify({ ...config, ...(plugins ? { plugins } : {}) }));
  return file;
}

/** Train one experiment (a file path or an object), as `exp run` does; resolves to its summary. */
export async function runExperiment(
  config: ExperimentInput | string,
  options: ApiOptions & { out?: string; signal?: AbortSignal; hooks?: TrainerHooks[] } = {},
): Promise<RunSummary> {
  const container = createRoot({ reporter: options.reporter ?? silent });
  const file = configFile(config, options.baseDir);
  const overrides = options.overrides ?? [];
  const loaded = await loadValid(container, file, overrides);
  const scope = runScope(container, loaded);
  const { runExperiment: train } = await import('@anneal/trainer');
  return train(
    { config: scope.config, plan: runPlan(loaded), registry: scope.registry, file, overrides },
    {
      out: options.out,
      signal: options.signal,
      hooks: options.hooks,
      loggers: scope.loggers,
      selectBackend: scope.selectBackend,
    },
  );
}

export interface SweepResultSummary {
  /** The sweep directory (results.csv, summary.md, best.yaml, one run directory per trial). */
  dir: string;
  /** What `exp sweep` would exit with: 0 when every trial finished. */
  exitCode: number;
  /** Trials, best first by the sweep's metric and goal. */
  ranked: TrialRow[];
  /**
   * Trials that ran to an end (completed, pruned, diverged, failed) in the order they finished
   * (their summary.json `finishedAt`): with a TPE sweep, the best-so-far curve over trials.
   */
  finished: TrialRow[];
}

/** Run a sweep (the config's `sweep:` section, plus `key=a,b,c` arguments), as `exp sweep` does. */
export async function runSweep(
  config: ExperimentInput | string,
  options: ApiOptions & { out: string; parallel?: number; retries?: number; plots?: boolean },
): Promise<SweepResultSummary> {
  const container = createRoot({ reporter: options.reporter ?? silent });
  const { sweep } = await import('./commands/sweep.ts');
  const dir = resolve(options.out);
  let exitCode: number;
  try {
    const outcome = await sweep(container, configFile(config, options.baseDir), options.overrides ?? [], {
      out: dir,
      parallel: options.parallel,
      retries: options.retries,
      plots: options.plots,
    });
    exitCode = exitCodeOf(outcome);
  } catch (error) {
    // Failed trials are a result here, not an exception: the ranking says which.
    if (!(error instanceof AnnealError) || error.code !== 'SWEEP_FAILED') throw error;
    exitCode = error.exitCode;
  }
  const manifest = readManifest(dir);
  const rows = collectRows(dir, manifest);
  const finishedAt = (id: string) => {
    try {
      return Date.parse(JSON.parse(readFileSync(paths.summary(dir, id), 'utf8')).finishedAt) || Infinity;
    } catch {
      return Infinity;
    }
  };
  // Array.prototype.sort is stable: equal times keep the plan's (proposal) order.
  const finished = rows
    .filter((r) => finishedStatus(r.status))
    .map((r) => ({ r, at: finishedAt(r.id) }))
    .sort((a, b) => a.at - b.at)
    .map(({ r }) => r);
  return { dir, exitCode, ranked: rank(rows, manifest.sweep.goal), finished };
}
