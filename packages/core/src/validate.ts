import { validateAgainst } from './ajv.ts';
import { buildSchedule } from './build-schedule.ts';
import type { ExperimentConfig, PluginSection } from './config-types.ts';
import { AnnealError, type Issue } from './errors.ts';
import { experimentSchema } from './experiment-schema.ts';
import { nonFiniteNumbers } from './finite.ts';
import { checkConfigMetrics } from './metrics.ts';
import { momentumIssues } from './momentum-check.ts';
import { optimizerNames, optimizerSchema } from './optimizer-schema.ts';
import { isPlainObject, joinPath } from './paths.ts';
import type { PluginKind } from './plugin.ts';
import type { PluginRegistry } from './registry.ts';
import type { Schedule } from './schedule.ts';
import { locate, type Sources } from './sources.ts';
import { suggestionHint } from './suggest.ts';
import { checkSweepSection } from './sweep/check.ts';
import { dirname, resolve } from 'node:path';

/** How long the run is: what sizes the `step` unit and every default `total`. */
export interface RunLength {
  epochs: number;
  /** Batches per epoch; unknown without a data section or `train.stepsPerEpoch`. */
  stepsPerEpoch?: number;
  /** Training examples, when the dataset could say. */
  trainExamples?: number;
}

export interface ValidationResult {
  /** Present when there are no errors: the config with every default filled in. */
  config?: ExperimentConfig;
  schedule?: Schedule;
  run?: RunLength;
  errors: Issue[];
  warnings: Issue[];
}

export interface ValidateInput {
  data: unknown;
  sources: Sources;
  /** The config file, for resolving relative paths in plugin options. */
  file: string;
}

/**
 * The stages after loading: top-level schema → optimizer → plugin sections → run length →
 * schedule (durations, options, cross-field rules, a dry evaluation). Returns data; never prints.
 */
export function validateExperiment(input: ValidateInput, registry: PluginRegistry): ValidationResult {
  const located = (issues: Issue[]) =>
    dedupe(issues).map((i) => ({
      ...i,
      location: i.location ?? locate(input.sources, i.path, i.message.startsWith('unknown key') ? 'key' : 'value'),
    }));
  // A `.inf` or `.nan` would pass some checks and break a later stage, which would then be blamed.
  const nonFinite = nonFiniteNumbers(input.data);
  if (nonFinite.length) return { errors: sortByPlace(located(nonFinite)), warnings: [] };

  const config = structuredClone(input.data) as Record<string, any>;
  const errors: Issue[] = validateAgainst(experimentSchema, config, '');
  const warnings: Issue[] = [];

  const optimizer = config.optimizer;
  if (isPlainObject(optimizer) && optimizerNames.includes(optimizer.name as string)) {
    errors.push(
      ...validateAgainst(optimizerSchema(optimizer.name as string), optimizer, 'optimizer').filter(
        (i) => !i.path.endsWith('learningRate'),
      ),
    );
  }

  const ctx = { seed: Number.isInteger(config.seed) ? config.seed : 0, configDir: dirname(resolve(input.file)) };
  const sections: Array<[PluginKind, string]> = [
    ['dataset', 'data'],
    ['model', 'model'],
  ];
  for (const [kind, key] of sections) {
    const section = config[key];
    if (!isPlainObject(section) || typeof section.name !== 'string') continue;
    const plugin = registry.find(kind, section.name);
    if (!plugin) {
      errors.push({
        path: `${key}.name`,
        message: `unknown ${kind} \`${section.name}\``,
        hint: suggestionHint(section.name, registry.names(kind), `${kind}s`),
      });
      continue;
    }
    const { name, ...options } = section;
    const found = validateAgainst(plugin.schema as object, options, key);
    if (found.length === 0) {
      absolutePaths(plugin.schema, options, ctx.configDir);
      found.push(...(plugin.check?.(options, ctx) ?? []).map((i) => ({ ...i, path: joinPath(key, i.path) })));
    }
    errors.push(...found);
    config[key] = { name, ...options } satisfies PluginSection;
  }

  const data = config.data;
  const dataset =
    isPlainObject(data) && typeof data.name === 'string' && !errors.some((e) => e.path.startsWith('data'))
      ? registry.find('dataset', data.name)
      : undefined;
  const { name: _, ...dataOptions } = (dataset ? data : {}) as Record<string, unknown>;
  errors.push(...checkConfigMetrics(config, dataset?.hasValidation?.(dataOptions)));
  if (!errors.some((e) => e.path.startsWith('sweep')))
    errors.push(...checkSweepSection((input.data as Record<string, unknown>)?.sweep, config.sweep));

  const train = config.train;
  let run: RunLength | undefined;
  if (isPlainObject(train) && Number.isInteger(train.epochs) && (train.epochs as number) >= 1) {
    run = { epochs: train.epochs as number, stepsPerEpoch: train.stepsPerEpoch as number | undefined };
    // Counted even beside `stepsPerEpoch`: an empty data file is found here, before any run directory exists.
    if (dataset?.count) {
      try {
        run.trainExamples = dataset.count(dataOptions, ctx);
        if (run.trainExamples < 1)
          errors.push({
            path: 'data',
            message: `dataset \`${dataset.name}\` has no training examples`,
            hint: 'check the data file (an empty or header-only file has none) and data.validationSplit',
          });
        const batches = Math.ceil(run.trainExamples / (train.batchSize as number));
        // Beside real data, `stepsPerEpoch` caps the batches an epoch trains on (Keras's
        // steps_per_epoch); it cannot ask for more batches than the data holds.
        if (run.trainExamples >= 1 && run.stepsPerEpoch !== undefined && run.stepsPerEpoch > batches)
          errors.push({
            path: 'train.stepsPerEpoch',
            message: `${run.stepsPerEpoch} batches per epoch, but the data holds only ${batches} (${run.trainExamples} training examples in batches of ${train.batchSize})`,
            hint: `set it to at most ${batches}, or remove it to train on every batch`,
          });
        run.stepsPerEpoch ??= batches;
      } catch (error) {
        errors.push({
          path: 'data',
          message: `dataset \`${dataset.name}\` could not tell its size: ${(error as Error).message}`,
          hint: error instanceof AnnealError ? error.hint : undefined,
        });
      }
    }
  }

  let schedule: Schedule | undefined;
  const spec = config.schedule;
  const base = optimizer?.learningRate;
  if (run && isPlainObject(spec) && typeof spec.name === 'string' && typeof base === 'number' && base > 0) {
    const unit = spec.unit === 'step' ? 'step' : 'epoch';
    if (unit === 'step' && !run.stepsPerEpoch) {
      errors.push({
        path: 'schedule.unit',
        message: '`unit: step` needs the number of batches per epoch',
        hint: 'add a `data:` section, or set `train.stepsPerEpoch`',
      });
    } else {
      const runTotal = unit === 'epoch' ? run.epochs : run.epochs * run.stepsPerEpoch!;
      const momentumFrom: string[] = [];
      try {
        schedule = buildSchedule(spec as never, {
          registry,
          base,
          unit,
          stepsPerEpoch: run.stepsPerEpoch,
          runTotal,
          warnings,
          momentumFrom,
        });
        errors.push(...momentumIssues(schedule, optimizer.name, momentumFrom[0], runTotal));
      } catch (error) {
        if (!(error instanceof AnnealError) || error.code !== 'CONFIG_INVALID') throw error;
        errors.push(...error.issues);
      }
    }
  }

  const result = { errors: sortByPlace(located(errors)), warnings: located(warnings) };
  if (result.errors.length) return result;
  return { ...result, config: config as ExperimentConfig, schedule, run };
}

/**
 * Options the plugin's schema marks `x-path` are relative to the config file; the resolved config
 * holds them absolute, so it still runs from a run directory, a sweep's trial or `best.yaml`.
 */
function absolutePaths(schema: unknown, options: Record<string, unknown>, configDir: string): void {
  const properties = (schema as { properties?: Record<string, { 'x-path'?: boolean }> }).properties ?? {};
  for (const [key, sub] of Object.entries(properties))
    if (sub['x-path'] && typeof options[key] === 'string') options[key] = resolve(configDir, options[key] as string);
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\0${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sortByPlace(issues: Issue[]): Issue[] {
  return [...issues].sort(
    (a, b) =>
      (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
      (a.location?.line ?? 0) - (b.location?.line ?? 0),
  );
}
