// `pnpm bench`: throughput ratios, not timed assertions (machines here are shared and noisy,
// so every figure is the median of several interleaved runs, in wall time and in CPU time).
//   anneal       `exp run` vs a hand-written model.fit loop on stock tfjs (each in its own process),
//                and the GFLOP/s a training epoch reaches against the wasm matmul peak
//   cnn          the cnn on wasm vs on the cpu backend
//   sweep        sweep --parallel 2 vs 1
//   startup      the installed bin (builds, packs and installs the tarballs first; `--no-build` reuses dist/)
//   queue        the same sweep through the BullMQ queue vs local (needs Redis: scripts/services.sh)
//   queue-scale  2,000 trivial trials through the queue, controller cost per trial
//   asha         a 27-point grid with repeats vs ASHA on it: epochs spent, pick vs best (`--quick`: a smoke run)
//   tpe          TPE vs random search, the same budget of trials over 5 sweep seeds: best-so-far curves (`--quick`)
// Usage: pnpm bench [anneal|cnn|sweep|startup|queue|queue-scale|asha|tpe]... [--no-build] [--quick]
import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectBackend } from '@anneal/trainer';
import type { ChildResult } from './train-child.ts';

const REPEATS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = () => mkdtempSync(join(tmpdir(), 'anneal-bench-'));
const runTs = join(process.cwd(), 'packages/cli/bin/run-ts.js');

/** One training in a fresh process (see train-child.ts), so neither side inherits the other's kernels or warm caches. */
function child(mode: 'anneal' | 'fit', experiment: unknown): ChildResult {
  const r = spawnSync(process.execPath, [runTs, 'bench/train-child.ts', mode, JSON.stringify(experiment)], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`${mode} child failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

// The MNIST MLP of the speed goal: 8,000 digits, 784-256-10, Adam, batch 64, wasm.
const TRAIN = 8000;
const VAL = 2000;
const EPOCHS = 4;
const mlpExperiment = {
  name: 'bench-mlp',
  seed: 1,
  data: { name: 'mnist', trainSize: TRAIN, testSize: VAL },
  model: { name: 'mlp', hidden: [256], dropout: 0 },
  optimizer: { name: 'adam', learningRate: 0.002 },
  schedule: { name: 'cosine-warmup', unit: 'step', warmup: '1ep', epsilon: 1e-5 },
  train: { epochs: EPOCHS, batchSize: 64, backend: 'wasm', shuffle: true },
  output: { tensorboard: true, plots: false },
};

// Multiply-adds ×2 of one training example (forward x·W1 and h·W2; backward dW1 = xᵀ·dh,
// dW2 = hᵀ·dy and dh = dy·W2ᵀ — no gradient for the input) and of one validation example.
const FLOPS_TRAIN = 2 * (2 * 784 * 256) + 3 * (2 * 256 * 10);
const FLOPS_VAL = 2 * 784 * 256 + 2 * 256 * 10;

/** The best GFLOP/s of wasm's matmul (XNNPACK, weights already packed) on a few shapes, in this process. */
async function wasmMatMulPeak(): Promise<{ gflops: number; shape: string }> {
  const { tf } = await selectBackend('wasm');
  let best = { gflops: 0, shape: '' };
  for (const [m, k, n] of [
    [64, 784, 256],
    [256, 784, 256],
    [512, 1024, 512],
  ]) {
    const a = tf.randomUniform([m, k]);
    const b = tf.randomUniform([k, n]);
    tf.matMul(a, b).dispose();
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t = performance.now();
      tf.matMul(a, b).dataSync();
      times.push(performance.now() - t);
    }
    const gflops = (2 * m * k * n) / (Math.min(...times) / 1000) / 1e9;
    if (gflops > best.gflops) best = { gflops, shape: `${m}×${k}·${k}×${n}` };
    tf.dispose([a, b]);
  }
  return best;
}

async function benchAnneal(lines: string[]): Promise<void> {
  const ours: ChildResult[] = [];
  const theirs: ChildResult[] = [];
  for (let i = 0; i < REPEATS; i++) {
    theirs.push(child('fit', mlpExperiment));
    ours.push(child('anneal', mlpExperiment));
  }
  const m = (rs: ChildResult[], key: keyof ChildResult) => median(rs.map((r) => r[key] as number));
  const peak = await wasmMatMulPeak();
  // Work per second of the whole epoch (training and its validation pass).
  const flopsPerTrainExample = FLOPS_TRAIN + (VAL / TRAIN) * FLOPS_VAL;
  const gflops = (rs: ChildResult[], key: 'samplesPerSecond' | 'samplesPerCpuSecond') =>
    (m(rs, key) * flopsPerTrainExample) / 1e9;
  lines.push(
    `anneal (exp run) vs hand-written model.fit on stock tfjs, each in its own process, interleaved, median of ${REPEATS}:`,
  );
  lines.push(`  mnist ${TRAIN} / ${VAL} val, mlp 784-256-10, adam, batch 64, ${EPOCHS} epochs, ${ours[0].backend}`);
  lines.push(`                 samples/s   samples/CPU-s   val acc`);
  for (const [name, rs] of [
    ['anneal', ours],
    ['model.fit', theirs],
  ] as const)
    lines.push(
      `  ${name.padEnd(13)}${m(rs, 'samplesPerSecond').toFixed(0).padStart(10)}${m(rs, 'samplesPerCpuSecond').toFixed(0).padStart(16)}${(100 * m(rs, 'valAcc')).toFixed(2).padStart(10)}%`,
    );
  lines.push(
    `  ratio        ${(m(ours, 'samplesPerSecond') / m(theirs, 'samplesPerSecond')).toFixed(2).padStart(9)}×${(m(ours, 'samplesPerCpuSecond') / m(theirs, 'samplesPerCpuSecond')).toFixed(2).padStart(15)}×${(100 * (m(ours, 'valAcc') - m(theirs, 'valAcc'))).toFixed(2).padStart(9)} points   (goal ≥ 1.8×, ±0.5 points)`,
  );
  lines.push(
    `  per-run ratios (wall): ${ours.map((o, i) => (o.samplesPerSecond / theirs[i].samplesPerSecond).toFixed(2)).join(' ')}`,
  );
  lines.push(
    `  GFLOP/s of a training epoch: anneal ${gflops(ours, 'samplesPerSecond').toFixed(1)} (${gflops(ours, 'samplesPerCpuSecond').toFixed(1)} per CPU-s), model.fit ${gflops(theirs, 'samplesPerSecond').toFixed(1)}; wasm matmul peak ${peak.gflops.toFixed(1)} (${peak.shape})`,
  );
}

async function benchCnn(lines: string[]): Promise<void> {
  // The cpu backend runs this cnn two orders of magnitude slower, so it gets fewer digits;
  // throughput per example does not depend on how many there are.
  const experiment = (backend: string, trainSize: number) => ({
    name: 'bench-cnn',
    seed: 1,
    data: { name: 'mnist', trainSize, testSize: 64, shape: 'image' },
    model: { name: 'cnn' },
    optimizer: { name: 'adam', learningRate: 0.002 },
    schedule: { name: 'cosine-warmup', unit: 'step', warmup: 0, epsilon: 1e-5 },
    train: { epochs: 1, batchSize: 64, backend, shuffle: true },
    output: { tensorboard: false, plots: false },
  });
  const wasm: ChildResult[] = [];
  const cpu: ChildResult[] = [];
  for (let i = 0; i < 3; i++) {
    wasm.push(child('anneal', experiment('wasm', 1024)));
    cpu.push(child('anneal', experiment('cpu', 64)));
  }
  const m = (rs: ChildResult[], key: 'samplesPerSecond' | 'samplesPerCpuSecond') => median(rs.map((r) => r[key]));
  lines.push('cnn (filters 16, 32; dense 64) on mnist images, batch 64, anneal, median of 3 interleaved:');
  lines.push(
    `  wasm  ${m(wasm, 'samplesPerSecond').toFixed(1)} samples/s  (${m(wasm, 'samplesPerCpuSecond').toFixed(1)} per CPU-s)`,
  );
  lines.push(
    `  cpu   ${m(cpu, 'samplesPerSecond').toFixed(1)} samples/s  (${m(cpu, 'samplesPerCpuSecond').toFixed(1)} per CPU-s)`,
  );
  lines.push(
    `  wasm / cpu  ${(m(wasm, 'samplesPerSecond') / m(cpu, 'samplesPerSecond')).toFixed(1)}× (${(m(wasm, 'samplesPerCpuSecond') / m(cpu, 'samplesPerCpuSecond')).toFixed(1)}× per CPU-s; goal ≥ 3×)`,
  );
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

const which = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--dir');
const want = (name: string) => which.length === 0 || which.includes(name);
const lines: string[] = [
  `anneal bench — ${new Date().toISOString()}, node ${process.versions.node}, ${(await import('node:os')).cpus().length} cores`,
];
if (want('anneal')) await benchAnneal(lines);
if (want('cnn')) await benchCnn(lines);
if (want('sweep')) benchSweep(lines);
if (want('startup')) await (await import('./startup.ts')).benchStartup(lines);
if (which.length === 0 || which.some((w) => w.startsWith('queue')))
  await (await import('./queue.ts')).benchQueue(lines, which);
if (want('asha')) await (await import('./asha.ts')).benchAsha(lines, process.argv.includes('--quick'));
if (want('tpe')) await (await import('./tpe.ts')).benchTpe(lines, process.argv.includes('--quick'));
console.log(lines.join('\n'));
