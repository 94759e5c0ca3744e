// `pnpm bench`: throughput ratios, not timed assertions (machines here are shared and noisy,
// so every figure is the median of several alternating runs).
//   anneal vs a hand-written tfjs loop · wasm vs cpu · sweep --parallel 2 vs 1.
// Usage: pnpm bench [anneal|backends|sweep|queue|queue-scale]...
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateExperiment, type ExperimentConfig } from '@anneal/core';
import { builtinRegistry } from '../packages/cli/src/root.ts';
import { createOptimizer, runExperiment, selectBackend, setLearningRate, type Dataset, type TF } from '@anneal/trainer';
type LayersModel = Awaited<ReturnType<TF['loadLayersModel']>>;

const REPEATS = 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const registry = builtinRegistry();
const tmp = () => mkdtempSync(join(tmpdir(), 'anneal-bench-'));

function experiment(backend: string, epochs = 3): ExperimentConfig {
  const data = {
    name: 'bench',
    seed: 1,
    data: { name: 'mnist', trainSize: 4000, testSize: 1000 },
    model: { name: 'mlp', hidden: [128] },
    optimizer: { name: 'adam', learningRate: 0.002 },
    schedule: { name: 'cosine-warmup', unit: 'step', warmup: '1ep', epsilon: 1e-5 },
    train: { epochs, batchSize: 64, backend, shuffle: true },
    output: { tensorboard: true, plots: false },
  };
  const r = validateExperiment({ data, sources: new Map(), file: join(process.cwd(), 'bench.yaml') }, registry);
  if (r.errors.length) throw new Error(JSON.stringify(r.errors));
  return r.config!;
}

async function annealSamplesPerSecond(config: ExperimentConfig): Promise<number> {
  const s = await runExperiment(
    { config, registry, file: join(process.cwd(), 'bench.yaml'), overrides: [] },
    { out: join(tmp(), 'run') },
  );
  return s.samplesPerSecond;
}

/** The loop a tfjs user writes by hand: model.fit, with the rate set in onBatchBegin. */
async function handWrittenSamplesPerSecond(tf: TF, config: ExperimentConfig): Promise<number> {
  const ctx = { tf, seed: 1, configDir: process.cwd() };
  const data = (await registry
    .get('dataset', 'mnist')
    .create({ trainSize: 4000, testSize: 1000, shape: 'flat', validationSplit: 0 }, ctx)) as Dataset;
  const model = (await registry
    .get('model', 'mlp')
    .create(
      { hidden: [128], activation: 'relu', dropout: 0 },
      { ...ctx, inputShape: data.inputShape, numClasses: data.numClasses },
    )) as LayersModel;
  const optimizer = createOptimizer(tf, config.optimizer as never);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const steps = Math.ceil(data.train.size / config.train.batchSize);
  const total = config.train.epochs * steps;
  let step = 0;
  const lr = (t: number) =>
    t < steps
      ? (config.optimizer.learningRate * t) / steps
      : 1e-5 + 0.5 * (config.optimizer.learningRate - 1e-5) * (1 + Math.cos((Math.PI * (t - steps)) / (total - steps)));
  const started = performance.now();
  await model.fit(data.train.x, data.train.y, {
    epochs: config.train.epochs,
    batchSize: config.train.batchSize,
    shuffle: true,
    validationData: [data.val!.x, data.val!.y],
    verbose: 0,
    callbacks: { onBatchBegin: async () => setLearningRate(optimizer, lr(step++)) },
  });
  const seconds = (performance.now() - started) / 1000;
  model.dispose();
  data.dispose();
  return (config.train.epochs * data.train.size) / seconds;
}

async function benchAnneal(lines: string[]): Promise<void> {
  const { tf, backend } = await selectBackend('wasm');
  const config = experiment('wasm');
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    theirs.push(await handWrittenSamplesPerSecond(tf, config));
    ours.push(await annealSamplesPerSecond(config));
  }
  lines.push(
    `anneal vs hand-written tfjs loop (${backend}, mnist 4000, mlp 128, batch 64, 3 epochs, median of ${REPEATS}):`,
  );
  lines.push(`  anneal        ${median(ours).toFixed(0)} samples/s`);
  lines.push(`  hand-written  ${median(theirs).toFixed(0)} samples/s`);
  lines.push(`  ratio         ${(median(ours) / median(theirs)).toFixed(3)}× (goal ≥ 0.95×)`);
}

async function benchBackends(lines: string[]): Promise<void> {
  const speed: Record<string, number> = {};
  for (const backend of ['wasm', 'cpu']) {
    const runs: number[] = [];
    for (let i = 0; i < REPEATS; i++)
      runs.push(await annealSamplesPerSecond(experiment(backend, backend === 'cpu' ? 2 : 3)));
    speed[backend] = median(runs);
  }
  lines.push(`backends (anneal, same model and data, median of ${REPEATS}):`);
  lines.push(`  wasm  ${speed.wasm.toFixed(0)} samples/s`);
  lines.push(`  cpu   ${speed.cpu.toFixed(0)} samples/s`);
  lines.push(`  wasm / cpu  ${(speed.wasm / speed.cpu).toFixed(2)}×`);
}

function benchSweep(lines: string[]): void {
  const dir = tmp();
  const config = join(dir, 'sweep.yaml');
  // Trials of about 10 s each, the size the overhead goal is stated for.
  writeFileSync(
    config,
    `name: bench-sweep
seed: 1
data: { name: mnist, trainSize: 8000, testSize: 1000 }
model: { name: mlp, hidden: [128] }
optimizer: { name: adam, learningRate: 0.002 }
schedule: { name: cosine-warmup, unit: step, warmup: 1ep, epsilon: 1.0e-5 }
train: { epochs: 6, batchSize: 64, backend: wasm }
output: { plots: false }
sweep:
  parameters:
    schedule.warmup: [0, 1ep, 2ep, 3ep]
    schedule.epsilon: [0, 1.0e-4]
`,
  );
  const exp = join(process.cwd(), 'packages/cli/bin/exp.js');
  const run = (parallel: number) => {
    const out = join(dir, `p${parallel}-${Math.random().toString(36).slice(2)}`);
    const started = performance.now();
    const r = spawnSync(
      process.execPath,
      [exp, 'sweep', config, '--out', out, '--parallel', String(parallel), '--no-plots'],
      { encoding: 'utf8', env: { ...process.env, CI: '1' } },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    const wall = (performance.now() - started) / 1000;
    const trials = readdirSync(join(out, 'trials'))
      .map(
        (id) =>
          JSON.parse(readFileSync(join(out, 'trials', id, 'summary.json'), 'utf8')) as {
            startedAt: string;
            finishedAt: string;
          },
      )
      .map((s) => ({ start: Date.parse(s.startedAt) / 1000, end: Date.parse(s.finishedAt) / 1000 }))
      .sort((a, b) => a.start - b.start);
    // With one worker, the time between one trial's end and the next one's start is what the
    // sweep adds per trial (results, progress, handing over the next job and loading its config).
    const gaps = trials.slice(1).map((t, i) => t.start - trials[i].end);
    const busy = trials.reduce((a, t) => a + (t.end - t.start), 0);
    return {
      wall,
      busy,
      trial: median(trials.map((t) => t.end - t.start)),
      gap: gaps.length ? median(gaps) : 0,
      fixed: wall - trials.reduce((a, t) => a + (t.end - t.start), 0) - gaps.reduce((a, b) => a + b, 0),
    };
  };
  const one: ReturnType<typeof run>[] = [];
  const two: ReturnType<typeof run>[] = [];
  for (let i = 0; i < 2; i++) {
    one.push(run(1));
    two.push(run(2));
  }
  const w1 = median(one.map((r) => r.wall));
  const w2 = median(two.map((r) => r.wall));
  const gap = median(one.map((r) => r.gap));
  const trial = median(one.map((r) => r.trial));
  lines.push(`sweep of 8 trials (mnist 8000, mlp 128, 6 epochs each, wasm; median of 2):`);
  lines.push(`  --parallel 1  ${w1.toFixed(1)} s wall`);
  lines.push(`  --parallel 2  ${w2.toFixed(1)} s wall`);
  lines.push(`  speed-up      ${(w1 / w2).toFixed(2)}× (goal ≥ 1.8× on 2 cores)`);
  // Whether the launcher keeps both slots busy, and how much slower a trial runs beside another.
  lines.push(
    `  slots busy    ${(100 * median(two.map((r) => r.busy / (2 * r.wall)))).toFixed(0)}% of 2 × wall; a trial takes ${(median(two.map((r) => r.trial)) / trial).toFixed(2)}× as long beside another`,
  );
  lines.push(
    `  per trial     ${(gap * 1000).toFixed(0)} ms between trials of ${trial.toFixed(1)} s = ${((100 * gap) / trial).toFixed(2)}% (goal < 2% of a 10 s trial)`,
  );
  lines.push(
    `  once a sweep  ${median(one.map((r) => r.fixed)).toFixed(1)} s (starting exp and the worker, planning, final results)`,
  );
}

const which = process.argv.slice(2);
const want = (name: string) => which.length === 0 || which.includes(name);
const lines: string[] = [
  `anneal bench — ${new Date().toISOString()}, node ${process.versions.node}, ${(await import('node:os')).cpus().length} cores`,
];
if (want('anneal')) await benchAnneal(lines);
if (want('backends')) await benchBackends(lines);
if (want('sweep')) benchSweep(lines);
if (which.length === 0 || which.some((w) => w.startsWith('queue')))
  await (await import('./queue.ts')).benchQueue(lines, which);
console.log(lines.join('\n'));
