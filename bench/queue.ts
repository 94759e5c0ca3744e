// `pnpm bench queue`: what the BullMQ queue costs. (1) The same sweep through the queue with two
// `exp worker`s vs the local launcher with --parallel 2. (2) A 2,000-trial sweep of trivial
// trials through the queue with 4 workers, the controller in this process: its CPU ms per
// finished trial at 100 and at 2,000 trials (flat = no per-trial cost that grows with the sweep).
// Needs a Redis: ANNEAL_TEST_REDIS_URL (scripts/services.sh: `source scripts/services.sh; services_up`).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planSweep } from '@anneal/core';
import { createSweepDir, newSweepKey, QueueLauncher, runSweep, writeQueueRecord } from '@anneal/sweep';
import { builtinRegistry } from '../packages/cli/src/root.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const exp = join(process.cwd(), 'packages/cli/bin/exp.js');
const env = { ...process.env, CI: '1' };

function redisUrl(): string {
  const url = process.env.ANNEAL_TEST_REDIS_URL;
  if (!url) throw new Error('bench queue needs Redis: `source scripts/services.sh; services_up` first');
  return url;
}

/** `n` workers on a fresh prefix, resolved once each says it is taking trials. */
async function startWorkers(n: number, url: string, prefix: string, out: string): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child = spawn(
        process.execPath,
        [exp, 'worker', url, '--prefix', prefix, '--out', join(out, `w${i}`), '--concurrency', '1'],
        { env, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return new Promise<ChildProcess>((resolve) => {
        let log = '';
        child.stderr!.on('data', (d) => {
          log += d;
          if (/taking trials/.test(log)) resolve(child);
        });
      });
    }),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          if (w.exitCode !== null) return resolve(null);
          w.once('exit', resolve);
          w.kill('SIGTERM');
        }),
    ),
  );
}

/** Start/end of each trial from the run directories' summaries. */
function spans(dirs: string[]): Array<{ start: number; end: number }> {
  return dirs
    .map((d) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')) as { startedAt: string; finishedAt: string })
    .map((s) => ({ start: Date.parse(s.startedAt), end: Date.parse(s.finishedAt) }));
}
/** Slot time not spent training, per trial: (2 slots × wall − Σ trial durations) ÷ trials. */
const idleMs = (dirs: string[], wall: number) =>
  (2 * wall * 1000 - spans(dirs).reduce((a, t) => a + t.end - t.start, 0)) / dirs.length;

async function sameSweep(lines: string[], url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-bench-queue-'));
  const config = join(dir, 'sweep.yaml');
  writeFileSync(
    config,
    `name: bench-queue
seed: 1
data: { name: mnist, trainSize: 4000, testSize: 1000 }
model: { name: mlp, hidden: [64] }
optimizer: { name: adam, learningRate: 0.002 }
schedule: { name: cosine-warmup, unit: step, warmup: 1ep, epsilon: 1.0e-5 }
train: { epochs: 4, batchSize: 64, backend: wasm }
output: { plots: false, tensorboard: false }
sweep:
  parameters:
    schedule.warmup: [0, 1ep, 2ep, 3ep]
    schedule.epsilon: [0, 1.0e-4]
`,
  );
  const local: number[] = [];
  const queued: number[] = [];
  const gaps = { local: [] as number[], queued: [] as number[] };
  for (let i = 0; i < 2; i++) {
    const out = join(dir, `local-${i}`);
    let t = performance.now();
    const r = spawnSync(process.execPath, [exp, 'sweep', config, '--out', out, '--parallel', '2', '--no-plots'], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(r.stderr);
    local.push((performance.now() - t) / 1000);
    gaps.local.push(
      idleMs(
        readdirSync(join(out, 'trials')).map((id) => join(out, 'trials', id)),
        local.at(-1)!,
      ),
    );

    const prefix = `bench-${Math.random().toString(36).slice(2, 8)}`;
    const workers = await startWorkers(2, url, prefix, join(dir, `workers-${i}`));
    const qout = join(dir, `queued-${i}`);
    t = performance.now();
    const q = spawnSync(
      process.execPath,
      [exp, 'sweep', config, '--out', qout, '--queue', url, '--prefix', prefix, '--no-plots'],
      { env, encoding: 'utf8' },
    );
    queued.push((performance.now() - t) / 1000);
    await stopWorkers(workers);
    if (q.status !== 0) throw new Error(q.stderr);
    const runDirs = [0, 1].flatMap((w) => {
      const root = join(dir, `workers-${i}`, `w${w}`);
      return readdirSync(root).flatMap((key) =>
        readdirSync(join(root, key))
          .filter((id) => id.startsWith('t-'))
          .map((id) => join(root, key, id)),
      );
    });
    gaps.queued.push(idleMs(runDirs, queued.at(-1)!));
  }
  const [l, q] = [median(local), median(queued)];
  lines.push('queue vs local, 8 trials (mnist 4000, mlp 64, 4 epochs, wasm), 2 slots each, median of 2:');
  lines.push(`  local --parallel 2       ${l.toFixed(1)} s wall`);
  lines.push(`  queue, 2 exp workers     ${q.toFixed(1)} s wall`);
  lines.push(`  throughput ratio         ${(l / q).toFixed(3)}× (goal ≥ 0.95×)`);
  lines.push(
    `  (each run: local ${local.map((x) => x.toFixed(1)).join(', ')} s; queue ${queued.map((x) => x.toFixed(1)).join(', ')} s)`,
  );
  lines.push(
    `  idle slot time per trial ${median(gaps.local).toFixed(0)} ms local, ${median(gaps.queued).toFixed(0)} ms queue (the queue's per-trial overhead: ${(median(gaps.queued) - median(gaps.local)).toFixed(0)} ms)`,
  );
}

/** The controller in this process, so its CPU time is ours to measure. */
async function controllerCost(url: string, trials: number, dir: string): Promise<{ cpuMs: number; wall: number }> {
  const config = join(dir, `trivial-${trials}.yaml`);
  writeFileSync(
    config,
    `name: trivial
seed: 1
data: { name: synthetic, kind: blobs, samples: 64, classes: 2, validationSplit: 0.25 }
model: { name: mlp, hidden: [4] }
optimizer: { name: sgd, learningRate: 0.1 }
schedule: { name: constant }
train: { epochs: 1, batchSize: 64, backend: cpu }
output: { plots: false, tensorboard: false, saveModel: false }
sweep:
  method: random
  trials: ${trials}
  parameters:
    optimizer.learningRate: { min: 1.0e-3, max: 1.0, log: true }
`,
  );
  const plan = await planSweep(config, [], builtinRegistry());
  const out = join(dir, `sweep-${trials}`);
  const prefix = `bench-${Math.random().toString(36).slice(2, 8)}`;
  const target = { url, prefix };
  const sweepKey = newSweepKey(plan.name);
  createSweepDir(out, plan);
  writeQueueRecord(out, sweepKey, target);
  const workers = await startWorkers(4, url, prefix, join(dir, `workers-${trials}`));
  try {
    const launcher = await QueueLauncher.open({ target, sweepKey, name: plan.name });
    const cpu = process.cpuUsage();
    const t = performance.now();
    const result = await runSweep(out, { launcher, plots: false });
    const used = process.cpuUsage(cpu);
    const done = result.rows.filter((r) => r.status === 'completed').length;
    if (done !== trials) throw new Error(`${done} of ${trials} trials completed`);
    return { cpuMs: (used.user + used.system) / 1000 / trials, wall: (performance.now() - t) / 1000 };
  } finally {
    await stopWorkers(workers);
  }
}

async function scale(lines: string[], url: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-bench-scale-'));
  const small = await controllerCost(url, 100, dir);
  console.log(`(100 trials: ${small.wall.toFixed(1)} s wall, ${small.cpuMs.toFixed(2)} CPU ms per trial)`);
  const large = await controllerCost(url, 2000, dir);
  lines.push('queue at scale: trivial trials (64 points, 1 epoch), 4 exp workers, controller in-process:');
  lines.push(
    `  100 trials     ${small.wall.toFixed(1)} s wall, controller ${small.cpuMs.toFixed(2)} CPU ms per finished trial`,
  );
  lines.push(
    `  2,000 trials   ${large.wall.toFixed(1)} s wall, controller ${large.cpuMs.toFixed(2)} CPU ms per finished trial`,
  );
  lines.push(`  ratio          ${(large.cpuMs / small.cpuMs).toFixed(2)}× (flat ≈ 1×)`);
}

export async function benchQueue(lines: string[], which: string[]): Promise<void> {
  const url = redisUrl();
  if (which.length === 0 || which.includes('queue')) await sameSweep(lines, url);
  if (which.length === 0 || which.includes('queue-scale')) await scale(lines, url);
}
