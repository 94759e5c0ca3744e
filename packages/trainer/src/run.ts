import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { AnnealError, buildSchedule, type ExperimentConfig, type PluginRegistry, type Schedule } from '@anneal/core';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { selectBackend } from './backend.ts';
import { createPlugin } from './build.ts';
import { findCheckpoint, readCheckpoint, writeCheckpoint } from './checkpoint.ts';
import { writeFileAtomic, writeJsonAtomic } from './files.ts';
import { dispatch, type RunSummary, type TrainerHooks } from './hooks.ts';
import { MetricsLogger } from './loggers/metrics.ts';
import { PlotsLogger } from './loggers/plots.ts';
import { TensorBoardLogger } from './loggers/tensorboard.ts';
import { trainLoop, type LoopState } from './loop.ts';
import { bestMonitor } from './monitor.ts';
import { createOptimizer, type OptimizerSpec } from './optimizers.ts';
import { loadModel, saveModel } from './model-io.ts';
import type { DatasetCache } from './dataset-cache.ts';
import type { Dataset, TF } from './types.ts';

export interface RunInput {
  config: ExperimentConfig;
  registry: PluginRegistry;
  /** The config file (plugin options resolve relative paths against its directory). */
  file: string;
  overrides: string[];
}

export interface RunOptions {
  /** Put the run directory exactly here (default: `<output.dir>/<name>/<stamp>`). */
  out?: string;
  /** Continue the run in this directory from its last checkpoint. */
  resume?: boolean;
  /** Extra hooks (progress display) after the built-in loggers. */
  hooks?: TrainerHooks[];
  signal?: AbortSignal;
  /** Told which backend was picked and why, before training starts. */
  onBackend?(backend: string, reason: string): void;
  /** Reuse a decoded dataset across runs in one process (a sweep worker's trials). */
  datasets?: DatasetCache;
}

const stamp = (d = new Date()) => d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);

/** A fresh directory: `--out` exactly (refused if it already holds a run), else a new stamped one. */
function runDirectory(config: ExperimentConfig, options: RunOptions): string {
  if (options.out) {
    const dir = resolve(options.out);
    if (options.resume) {
      if (!existsSync(join(dir, 'config.yaml')))
        throw new AnnealError('USAGE', `${dir} is not a run directory (no config.yaml)`, {
          hint: 'pass the directory that `exp run` printed',
        });
      return dir;
    }
    if (existsSync(dir) && readdirSync(dir).length > 0) {
      throw new AnnealError('USAGE', `--out ${options.out} already exists and is not empty`, {
        hint: 'choose a new directory, remove this one, or continue it with `exp run --resume DIR`',
      });
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const parent = resolve(config.output.dir, config.name);
  for (let i = 0; ; i++) {
    const dir = join(parent, `${stamp()}${i ? `-${i + 1}` : ''}`);
    if (!existsSync(dir)) {
      mkdirSync(dir, { recursive: true });
      return dir;
    }
  }
}

function versions(tf: TF): Record<string, string> {
  const require = createRequire(import.meta.url);
  return {
    anneal: (require('../package.json') as { version: string }).version,
    tfjs: tf.version.tfjs,
    node: process.versions.node,
  };
}

/**
 * `exp run`: build everything from plugins, train, and write the run directory. Never throws
 * past a created run directory without first recording `failed` in its summary.json.
 */
export async function runExperiment(input: RunInput, options: RunOptions = {}): Promise<RunSummary> {
  const { config, registry } = input;
  // Checked before the run directory exists, so a config error leaves nothing behind.
  for (const [key, kind] of [
    ['data', 'dataset'],
    ['model', 'model'],
  ] as const) {
    if (!config[key])
      throw new AnnealError('CONFIG_INVALID', `${input.file}: \`exp run\` needs a \`${key}:\` section`, {
        hint: `add one; \`exp plugins ${kind}\` lists the choices`,
      });
  }
  const dir = runDirectory(config, options);
  const startedAt = new Date();
  const base = {
    name: config.name,
    dir,
    seed: config.seed,
    epochs: 0,
    steps: 0,
    stoppedEarly: false,
    final: null,
    best: null,
  };
  const summaryFile = join(dir, 'summary.json');
  if (!options.resume) {
    const header = `# Resolved by anneal from ${input.file}${input.overrides.length ? ` with overrides: ${input.overrides.join(' ')}` : ''}\n`;
    writeFileAtomic(join(dir, 'config.yaml'), header + stringify(config));
  }
  // `pid` lets a resumed sweep stop a worker orphaned by a killed parent before rerunning its trial.
  writeJsonAtomic(summaryFile, { status: 'running', ...base, pid: process.pid, startedAt: startedAt.toISOString() });

  let backend = { name: 'none', reason: '' };
  let tfRef: TF | undefined;
  let model: LayersModel | undefined;
  let data: Dataset | undefined;
  let optimizer: Optimizer | undefined;
  const hooks: TrainerHooks[] = [];
  const finish = async (partial: Pick<RunSummary, 'status' | 'message'> & Partial<RunSummary>): Promise<RunSummary> => {
    const finishedAt = new Date();
    const summary: RunSummary = {
      ...base,
      backend: backend.name,
      backendReason: backend.reason,
      versions: tfRef ? versions(tfRef) : {},
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      samplesPerSecond: 0,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...partial,
    };
    writeJsonAtomic(summaryFile, summary);
    return summary;
  };

  try {
    const selected = await selectBackend(config.train.backend).catch((error) => {
      throw new AnnealError('RUN_FAILED', (error as Error).message);
    });
    tfRef = selected.tf;
    const tf = selected.tf;
    backend = { name: selected.backend, reason: selected.reason };
    options.onBackend?.(backend.name, backend.reason);
    const configDir = dirname(resolve(input.file));
    const createData = () =>
      createPlugin<Dataset>(registry, 'dataset', config.data, { tf, seed: config.seed, configDir }, 'exp run');
    data = options.datasets
      ? await options.datasets.get(
          { data: config.data, seed: config.seed, backend: backend.name, configDir },
          createData,
        )
      : await createData();
    model = await createPlugin<LayersModel>(
      registry,
      'model',
      config.model,
      { tf, seed: config.seed, configDir, inputShape: data.inputShape, numClasses: data.numClasses },
      'exp run',
    );
    optimizer = createOptimizer(tf, config.optimizer as OptimizerSpec);
    const stepsPerEpoch = Math.ceil(data.train.size / config.train.batchSize);
    const unit = config.schedule.unit;
    // Built again from the real data size, so `unit: step` durations match the batches run.
    const schedule: Schedule = buildSchedule(config.schedule, {
      registry,
      base: config.optimizer.learningRate,
      unit,
      stepsPerEpoch,
      runTotal: unit === 'epoch' ? config.train.epochs : config.train.epochs * stepsPerEpoch,
    });

    let state: LoopState | undefined;
    const lastDir = join(dir, 'checkpoints', 'last');
    if (options.resume) {
      const found = findCheckpoint(lastDir);
      if (found) state = await readCheckpoint(tf, found, model, optimizer);
    }
    hooks.push(new MetricsLogger(dir, state?.rows ?? []));
    if (config.output.tensorboard) hooks.push(new TensorBoardLogger(dir));
    if (config.output.plots) hooks.push(new PlotsLogger(dir, unit, schedule));
    hooks.push(...(options.hooks ?? []));
    await dispatch(hooks, 'onRunStart', {
      config,
      dir,
      model,
      backend: backend.name,
      backendReason: backend.reason,
      epochs: config.train.epochs,
      stepsPerEpoch,
      startEpoch: state?.epoch ?? 0,
      trainExamples: data.train.size,
      valExamples: data.val?.size ?? 0,
    });

    const every = config.train.checkpoint?.every ?? 0;
    const result = await trainLoop({
      tf,
      config,
      schedule,
      model,
      optimizer,
      data,
      hooks,
      signal: options.signal,
      state,
      checkpoint: async (s, improved) => {
        await writeCheckpoint(tf, lastDir, model!, optimizer, s);
        if (improved) await writeCheckpoint(tf, join(dir, 'checkpoints', 'best'), model!, undefined, s);
        if (every > 0 && s.epoch % every === 0) await saveModel(model!, join(dir, 'checkpoints', `epoch-${s.epoch}`));
      },
    });

    const es = config.train.earlyStopping;
    const bestDir = findCheckpoint(join(dir, 'checkpoints', 'best'));
    if (es?.restoreBest && bestDir) {
      const saved = await loadModel(tf, join(bestDir, 'model.json'));
      model.setWeights(saved.getWeights());
      saved.dispose();
    }
    if (config.output.saveModel) await saveModel(model, join(dir, 'model'));
    const rows = result.state.rows;
    const monitor = bestMonitor(config).metric;
    const bestRow = bestDir
      ? (JSON.parse(readFileSync(join(bestDir, 'state.json'), 'utf8')) as LoopState).rows.at(-1)
      : undefined;
    const summary = await finish({
      status: result.status,
      message: result.message,
      epochs: rows.length,
      steps: result.state.step,
      stoppedEarly: result.stoppedEarly,
      final: rows.at(-1) ?? null,
      best: bestRow ? { monitor, value: bestRow[monitor as 'loss'] as number, epoch: bestRow.epoch } : null,
      samplesPerSecond: result.trainSeconds > 0 ? result.examples / result.trainSeconds : 0,
    });
    await dispatch(hooks, 'onRunEnd', summary, model);
    return summary;
  } catch (error) {
    const message = error instanceof AnnealError ? error.message : `${(error as Error)?.message ?? error}`;
    const summary = await finish({ status: 'failed', message });
    await dispatch(hooks, 'onRunEnd', summary, model).catch(() => undefined);
    if (error instanceof AnnealError) throw error;
    throw new AnnealError('RUN_FAILED', `run failed: ${message}`, {
      cause: error,
      hint: `the run directory ${dir} records what was written`,
    });
  } finally {
    model?.dispose();
    data?.dispose();
    optimizer?.dispose();
  }
}
