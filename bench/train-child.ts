// One measured training, in its own process, printed as one JSON line on stdout:
//   anneal  — what `exp run` does (runExperiment with its loggers), anneal's wasm kernels on;
//   fit     — the same training written by hand with model.fit on stock tfjs: tfjs and its
//             wasm backend loaded directly, none of anneal's kernels registered.
// Both use anneal's dataset and model plugins only to get identical data and initial weights.
// Usage: run-ts bench/train-child.ts anneal|fit <experiment JSON>
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { runPlan, validateExperiment, type ExperimentConfig, type RunPlan } from '@anneal/core';
import { builtinRegistry } from '../packages/cli/src/root.ts';
import {
  createOptimizer,
  runExperiment,
  setLearningRate,
  type Dataset,
  type RunSummary,
  type TF,
} from '@anneal/trainer';

type LayersModel = Awaited<ReturnType<TF['loadLayersModel']>>;
export interface ChildResult {
  samplesPerSecond: number;
  /** Training examples per second of this process's CPU time (user + system) while training. */
  samplesPerCpuSecond: number;
  valAcc: number;
  backend: string;
}

const registry = builtinRegistry();
const file = join(process.cwd(), 'bench.yaml');
const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

function validate(data: unknown): { config: ExperimentConfig; plan: RunPlan } {
  const r = validateExperiment({ data, sources: new Map(), file }, registry);
  if (r.errors.length) throw new Error(JSON.stringify(r.errors));
  return { config: r.config!, plan: runPlan(r) };
}

async function anneal({ config, plan }: { config: ExperimentConfig; plan: RunPlan }): Promise<ChildResult> {
  let cpu: NodeJS.CpuUsage | undefined;
  let cpuTotal = 0;
  const summary: RunSummary = await runExperiment(
    { config, plan, registry, file, overrides: [] },
    {
      out: join(mkdtempSync(join(tmpdir(), 'anneal-bench-')), 'run'),
      hooks: [
        {
          onRunStart: () => {
            cpu = process.cpuUsage();
          },
          onRunEnd: () => {
            cpuTotal = cpuSeconds(cpu!);
          },
        },
      ],
    },
  );
  if (summary.status !== 'completed') throw new Error(`run ${summary.status}: ${summary.message}`);
  return {
    samplesPerSecond: summary.samplesPerSecond,
    samplesPerCpuSecond: (config.train.epochs * trainSize(config)) / cpuTotal,
    valAcc: summary.final?.val_acc ?? Number.NaN,
    backend: summary.backend,
  };
}

function trainSize(config: ExperimentConfig): number {
  return (config.data as unknown as { trainSize: number }).trainSize;
}

/** Stock tfjs: required directly, so nothing of anneal's backend set-up runs. */
async function stockTfjs(backend: string): Promise<TF> {
  // Resolved from the trainer package, which depends on tfjs (the workspace root does not).
  const require = createRequire(join(process.cwd(), 'packages/trainer/package.json'));
  const tf: TF = require('@tensorflow/tfjs');
  tf.enableProdMode();
  if (backend === 'wasm') {
    const wasm: { setWasmPaths(prefix: string): void } = require('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`no ${backend} backend`);
  await tf.ready();
  return tf;
}

/** The loop a tfjs user writes by hand: model.fit, with the warm-up + cosine rate set in onBatchBegin. */
async function fit(config: ExperimentConfig): Promise<ChildResult> {
  const tf = await stockTfjs(config.train.backend);
  const ctx = { tf, seed: config.seed, configDir: process.cwd() };
  const data = (await registry.get('dataset', 'mnist').create(config.data as never, ctx)) as Dataset;
  const model = (await registry.get('model', config.model!.name).create(config.model as never, {
    ...ctx,
    inputShape: data.inputShape,
    numClasses: data.numClasses,
  })) as LayersModel;
  const optimizer = createOptimizer(tf, config.optimizer as never);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const steps = Math.ceil(data.train.size / config.train.batchSize);
  const total = config.train.epochs * steps;
  const base = config.optimizer.learningRate;
  const lr = (t: number) =>
    t < steps
      ? (base * t) / steps
      : 1e-5 + 0.5 * (base - 1e-5) * (1 + Math.cos((Math.PI * (t - steps)) / (total - steps)));
  let step = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const history = await model.fit(data.train.x, data.train.y, {
    epochs: config.train.epochs,
    batchSize: config.train.batchSize,
    shuffle: true,
    validationData: [data.val!.x, data.val!.y],
    verbose: 0,
    callbacks: { onBatchBegin: async () => setLearningRate(optimizer, lr(step++)) },
  });
  const seconds = (performance.now() - started) / 1000;
  const cpuTotal = cpuSeconds(cpu);
  const examples = config.train.epochs * data.train.size;
  const accs = history.history.val_acc as number[];
  model.dispose();
  data.dispose();
  return {
    samplesPerSecond: examples / seconds,
    samplesPerCpuSecond: examples / cpuTotal,
    valAcc: accs[accs.length - 1],
    backend: tf.getBackend(),
  };
}

const [mode, json] = process.argv.slice(2);
const validated = validate(JSON.parse(json));
const result = mode === 'fit' ? await fit(validated.config) : await anneal(validated);
console.log(JSON.stringify(result));
