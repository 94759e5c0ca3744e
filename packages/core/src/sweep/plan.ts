import { experimentSchema } from '../experiment-schema.ts';
import { AnnealError, type Issue } from '../errors.ts';
import { loadExperiment } from '../experiment.ts';
import { checkMetric } from '../metrics.ts';
import { applyOverrides, type Override } from '../overrides.ts';
import type { PluginRegistry } from '../registry.ts';
import { validateExperiment, type RunLength } from '../validate.ts';
import type { Schedule } from '../schedule.ts';
import type { ExperimentConfig, SweepConfig } from '../config-types.ts';
import { evalConstraint } from './expression.ts';
import { expandSweep, type SweepPoint } from './expand.ts';
import { splitSweepArgs } from './parameters.ts';
import { trialId } from './trial-id.ts';

export interface Trial {
  id: string;
  /** The swept values of this trial. */
  point: SweepPoint;
  repeat: number;
  /** The trial's complete config (no `sweep:` section), runnable with `exp run`. */
  config: ExperimentConfig;
  /** Its learning-rate schedule and run length, for `exp schedule --sweep`. */
  schedule: Schedule;
  run: RunLength;
}

export interface DroppedPoint {
  point: SweepPoint;
  repeat: number;
  reason: string;
}

export interface SweepPlan {
  name: string;
  sweep: SweepConfig;
  keys: string[];
  trials: Trial[];
  dropped: DroppedPoint[];
  notes: string[];
  registry: PluginRegistry;
  /** The config every trial starts from, its whole sweep section included (a TPE sweep keeps it). */
  base: { config: ExperimentConfig; run: RunLength };
  /** One point as a runnable trial, or why it cannot run (invalid, excluded). */
  trialAt(point: SweepPoint, repeat: number): Trial | DroppedPoint;
}

/** Optuna's n_startup_trials: proposals drawn at random before TPE has a model (sweep/src/tpe.ts). */
export const tpeStartupTrials = 10;

const sweepDefaults = Object.fromEntries(
  Object.entries(experimentSchema.properties.sweep.properties).flatMap(([k, s]) =>
    'default' in s ? [[k, s.default]] : [],
  ),
) as unknown as SweepConfig;

const firstProblem = (issues: Issue[]) =>
  `${issues[0].path ? `${issues[0].path}: ` : ''}${issues[0].message}${issues.length > 1 ? ` (+${issues.length - 1} more)` : ''}`;

/**
 * Everything `exp sweep` will run, decided before anything runs: the base config, the points
 * (from the file's `sweep:` and Hydra-style `key=a,b,c` / `key=range(…)` arguments), each point
 * validated as a full config, `exclude` constraints applied, `repeats` seeds per point.
 */
export async function planSweep(file: string, args: string[], registry: PluginRegistry): Promise<SweepPlan> {
  const { overrides, parameters } = splitSweepArgs(args);
  const loaded = await loadExperiment(file, overrides, registry);
  if (loaded.errors.length)
    throw new AnnealError('CONFIG_INVALID', `${file} is not a valid experiment:`, { issues: loaded.errors });
  const config = loaded.config!;
  const notes: string[] = [];
  const fromFile = config.sweep ?? ({} as Partial<SweepConfig>);
  const sweep: SweepConfig = {
    ...sweepDefaults,
    ...fromFile,
    parameters: { ...(fromFile.parameters ?? {}), ...parameters },
  };
  const hasRange = Object.values(sweep.parameters).some((p) => !Array.isArray(p));
  if (hasRange && sweep.method === 'grid') {
    sweep.method = 'random';
    notes.push(`a range was given, so this is a random search of ${sweep.trials} trials (set sweep.trials to change)`);
  }
  const dataset = config.data && loaded.registry.find('dataset', config.data.name);
  const { name: _, ...dataOptions } = config.data ?? {};
  const metric = checkMetric(sweep.metric, 'sweep.metric', dataset?.hasValidation?.(dataOptions));
  if (metric.length)
    throw new AnnealError('CONFIG_INVALID', `${file}: the sweep cannot rank its trials`, { issues: metric });
  const keys = Object.keys(sweep.parameters);
  const hasSweepSection = Object.hasOwn(loaded.layer.data as object, 'sweep');
  // One point (and repeat) as a full, validated config: what every method runs, and what a
  // TPE sweep calls for each proposal while it runs.
  const trialAt = (point: SweepPoint, repeat: number): Trial | DroppedPoint => {
    const sets: Override[] = Object.entries(point).map(([path, value]) => ({
      text: `${path}=${JSON.stringify(value)}`,
      path,
      remove: false,
      value,
    }));
    if (repeat > 0)
      sets.push({ text: `seed=${config.seed + repeat}`, path: 'seed', remove: false, value: config.seed + repeat });
    if (hasSweepSection) sets.push({ text: '~sweep', path: 'sweep', remove: true });
    const layer = applyOverrides(loaded.layer, sets);
    const result = validateExperiment({ data: layer.data, sources: layer.sources, file: layer.file }, loaded.registry);
    if (result.errors.length) return { point, repeat, reason: firstProblem(result.errors) };
    const excluded = sweep.exclude.find((expression) => evalConstraint(expression, result.config));
    if (excluded) return { point, repeat, reason: `excluded by "${excluded}"` };
    const trialConfig = result.config!;
    return {
      id: trialId(trialConfig),
      point,
      repeat,
      config: trialConfig,
      schedule: result.schedule!,
      run: result.run!,
    };
  };
  const trials: Trial[] = [];
  const dropped: DroppedPoint[] = [];
  const seen = new Set<string>();
  if (sweep.method === 'tpe')
    notes.push(
      `tpe: ${sweep.trials} trials proposed one by one as trials finish, the first ${Math.min(sweep.trials, tpeStartupTrials)} at random`,
    );
  for (const point of expandSweep(sweep, sweep.seed ?? config.seed)) {
    for (let repeat = 0; repeat < sweep.repeats; repeat++) {
      const trial = trialAt(point, repeat);
      if (!('id' in trial)) {
        dropped.push(trial);
        continue;
      }
      if (seen.has(trial.id)) continue;
      seen.add(trial.id);
      trials.push(trial);
    }
  }
  const { sweep: _sweep, ...baseConfig } = config;
  return {
    name: config.name,
    sweep,
    keys,
    trials,
    dropped,
    notes,
    registry: loaded.registry,
    base: { config: { ...baseConfig, sweep } as ExperimentConfig, run: loaded.run! },
    trialAt,
  };
}
