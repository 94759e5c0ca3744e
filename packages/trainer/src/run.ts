import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { stringify } from 'yaml';
import {
  AnnealError,
  lockDir,
  RUN_FORMAT,
  writeError,
  type ExperimentConfig,
  type PluginRegistry,
  type RunPlan,
} from '@anneal/core';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { selectBackend } from './backend.ts';
import { createPlugin } from './build.ts';
import { checkpointName, findCheckpoint, readCheckpoint, readCheckpointState, writeCheckpoint } from './checkpoint.ts';
import { writeFileAtomic, writeJsonAtomic, writeStatusFile } from './files.ts';
import { dispatch, type EpochRow, type RunSummary, type TrainerHooks } from './hooks.ts';
import { builtinLoggers, type LoggerFactory } from './loggers/index.ts';
import { trainLoop, type LoopState } from './loop.ts';
import { bestMonitor } from './monitor.ts';
import { createOptimizer, type OptimizerSpec } from './optimizers.ts';
import { loadModel, saveModel } from './model-io.ts';
import { provenance } from './provenance.ts';
import type { DatasetCache } from './dataset-cache.ts';
import type { Dataset, TF } from './types.ts';

export interface RunInput {
  config: ExperimentConfig;
  /** Run length and schedule from validation (`runPlan`): the trainer applies them, never rebuilds them. */
  plan: RunPlan;
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
  /** The command line that started the run, recorded in summary.json (default: none). */
  command?: string[];
  /** Reuse a decoded dataset across runs in one process (a sweep worker's trials). */
  datasets?: DatasetCache;
  /** The loggers that write the run directory (default: the built-in ones; see loggers/index.ts). */
  loggers?: LoggerFactory[];
  /** Picks and starts the tfjs backend (default: tfjs-node, else wasm, else cpu). */
  selectBackend?: BackendSelector;
  /** Asked after every epoch but the last whether to stop the run as `pruned` (a sweep's pruner). */
  prune?(row: EpochRow): Promise<boolean>;
}

export type BackendSelector = (request: ExperimentConfig['train']['backend']) => ReturnType<typeof selectBackend>;

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

/** The summary of a run directory whose run has completed, else undefined. Reads, never writes. */
export function completedRun(dir: string): RunSummary | undefined {
  try {
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as RunSummary;
    return summary.status === 'completed' ? summary : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The batches an epoch trains on: the plan's (validation counted them from the dataset, or
 * `train.stepsPerEpoch` capped them), checked against the data actually built.
 */
function batchesPerEpoch(plan: RunPlan, data: Dataset, batchSize: number, dataset: string): number {
  const available = Math.ceil(data.train.size / batchSize);
  if (plan.stepsPerEpoch === undefined) return available; // a dataset that cannot count itself, `unit: epoch`
  if (plan.fixedSteps) {
    if (plan.stepsPerEpoch > available)
      throw new AnnealError(
        'CONFIG_INVALID',
        `train.stepsPerEpoch is ${plan.stepsPerEpoch}, but the data holds only ${available} batches (${data.train.size} training examples in batches of ${batchSize})`,
        { hint: `set it to at most ${available}, or remove it to train on every batch` },
      );
    return plan.stepsPerEpoch;
  }
  if (plan.stepsPerEpoch !== available)
    throw new AnnealError(
      'RUN_FAILED',
      `dataset \`${dataset}\` made ${data.train.size} training examples (${available} batches an epoch), but its count() said ${plan.trainExamples} (${plan.stepsPerEpoch} batches), which sized the schedule`,
      { hint: "make the plugin's count() agree with what create() builds" },
    );
  return available;
}

/**
 * `exp run`: build everything from plugins, train, and write the run directory. Never throws
 * past a created run directory without first recording `failed` in its summary.json. Resuming
 * a completed run changes nothing and returns its summary.
 */
export async function runExperiment(input: RunInput, options: RunOptions = {}): Promise<RunSummary> {
  const { config, registry, plan } = input;
  if (options.resume && options.out) {
    const done = completedRun(resolve(options.out));
    if (done) return done;
  }
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
  // One process writes a run directory at a time (two resumes would interleave metrics.jsonl).
  const lock = lockDir(dir, 'run');
  const startedAt = new Date();
  const base = {
    formatVersion: RUN_FORMAT,
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
  // Checked before anything is written, so a refused resume leaves the directory as it was.
  const lastDir = join(dir, 'checkpoints', 'last');
  const found = options.resume ? findCheckpoint(lastDir) : undefined;
  if (found && !found.dir && found.damaged.length)
    throw new AnnealError('RUN_FAILED', `cannot resume ${dir}: no sound checkpoint`, {
      hint: `${found.damaged.join('; ')}. Restore the files, or start the run again with a new --out`,
    });
  if (!options.resume) {
    const header = `# Resolved by anneal from ${input.file}${input.overrides.length ? ` with overrides: ${input.overrides.join(' ')}` : ''}\n`;
    writeFileAtomic(join(dir, 'config.yaml'), header + stringify(config));
  }
  // `pid` lets a resumed sweep stop a worker orphaned by a killed parent before rerunning its trial.
  writeJsonAtomic(summaryFile, { status: 'running', ...base, pid: process.pid, startedAt: startedAt.toISOString() });

  const origin = await provenance({ command: options.command, file: input.file, overrides: input.overrides });
  let backend = { name: 'none', reason: '', note: '' };
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
      provenance: origin,
      seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000,
      samplesPerSecond: 0,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      ...partial,
    };
    writeStatusFile(summaryFile, summary);
    return summary;
  };

  try {
    const selected = await (options.selectBackend ?? selectBackend)(config.train.backend).catch((error) => {
      throw error instanceof AnnealError ? error : new AnnealError('BACKEND_UNAVAILABLE', (error as Error).message);
    });
    tfRef = selected.tf;
    const tf = selected.tf;
    backend = { name: selected.backend, reason: selected.reason, note: selected.note };
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
    const stepsPerEpoch = batchesPerEpoch(plan, data, config.train.batchSize, config.data!.name);

    let state: LoopState | undefined;
    let resumedFrom: { checkpoint: string; damaged: string[] } | undefined;
    if (found?.dir) {
      state = await readCheckpoint(tf, found.dir, model, optimizer);
      resumedFrom = { checkpoint: checkpointName(found.dir), damaged: found.damaged };
    }
    const context = { dir, config, plan, rows: state?.rows ?? [] };
    for (const make of options.loggers ?? builtinLoggers) {
      const logger = await make(context);
      if (logger) hooks.push(logger);
    }
    hooks.push(...(options.hooks ?? []));
    await dispatch(hooks, 'onRunStart', {
      config,
      dir,
      model,
      backend: backend.name,
      backendReason: backend.reason,
      backendNote: backend.note,
      epochs: plan.epochs,
      stepsPerEpoch,
      startEpoch: state?.epoch ?? 0,
      resumedFrom,
      trainExamples: data.train.size,
      valExamples: data.val?.size ?? 0,
    });

    const every = config.train.checkpoint?.every ?? 0;
    const result = await trainLoop({
      tf,
      config,
      plan,
      stepsPerEpoch,
      model,
      optimizer,
      data,
      hooks,
      signal: options.signal,
      prune: options.prune,
      state,
      checkpoint: async (s, improved) => {
        await writeCheckpoint(tf, lastDir, model!, optimizer, s);
        if (improved) await writeCheckpoint(tf, join(dir, 'checkpoints', 'best'), model!, undefined, s);
        if (every > 0 && s.epoch % every === 0) await saveModel(model!, join(dir, 'checkpoints', `epoch-${s.epoch}`));
      },
    });

    const es = config.train.earlyStopping;
    const bestDir = findCheckpoint(join(dir, 'checkpoints', 'best')).dir;
    if (es?.restoreBest && bestDir) {
      const saved = await loadModel(tf, join(bestDir, 'model.json'));
      model.setWeights(saved.getWeights());
      saved.dispose();
    }
    if (config.output.saveModel) await saveModel(model, join(dir, 'model'));
    const rows = result.state.rows;
    const monitor = bestMonitor(config).metric;
    const bestRow = bestDir ? readCheckpointState(bestDir).rows.at(-1) : undefined;
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
  } catch (caught) {
    // A full disk or read-only directory is named with its path, not as a bare errno.
    const error = writeError(dir, caught);
    const message = error instanceof AnnealError ? error.message : `${(error as Error)?.message ?? error}`;
    // If even the status cannot be written (the disk is full), the original error is the news.
    const summary = await finish({ status: 'failed', message }).catch(() => undefined);
    if (summary) await dispatch(hooks, 'onRunEnd', summary, model).catch(() => undefined);
    if (error instanceof AnnealError) throw error;
    throw new AnnealError('RUN_FAILED', `run failed: ${message}`, {
      cause: error,
      hint: `the run directory ${dir} records what was written`,
    });
  } finally {
    model?.dispose();
    data?.dispose();
    optimizer?.dispose();
    lock.release();
  }
}
