// Start-up of the installed `exp` (README "Use it in your project"): the tarballs installed with
// npm in an empty folder, timed on node_modules/.bin/exp itself (no pnpm or npx wrapper).
import { fork, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { packAndInstall, repo, userEnv } from '../scripts/pack-install.mjs';

const RUNS = 9;
const GOAL = 0.3;
const WORKER_GOAL = 1;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const verdict = (seconds: number, goal: number) => `goal ≤ ${goal} s: ${seconds <= goal ? 'holds' : 'NOT reached'}`;

/**
 * CPU time (user + sys, seconds) from /proc (Linux): of a live process (`pid`), or of this
 * process's finished children. It depends far less than wall time on what else the machine runs,
 * so it says what a quiet machine's wall time would come close to. Undefined elsewhere.
 */
function cpuFromProc(pid: number | 'self', children = false): number | undefined {
  const file = `/proc/${pid}/stat`;
  if (!existsSync(file)) return undefined;
  const stat = readFileSync(file, 'utf8');
  // The fields after the command name: utime, stime, cutime, cstime are the 14th to 17th of the line, in ticks (1/100 s on Linux).
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  const [user, sys] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
  return (Number(user) + Number(sys)) / 100;
}
const childrenCpu = () => cpuFromProc('self', true);

/** Wall time of one run, and its CPU time when the platform tells. */
function timed(bin: string, args: string[], cwd: string): { wall: number; cpu?: number } {
  const cpu = childrenCpu();
  const started = performance.now();
  const r = spawnSync(bin, args, { cwd, env: userEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const wall = (performance.now() - started) / 1000;
  const after = childrenCpu();
  return { wall, cpu: cpu === undefined || after === undefined ? undefined : after - cpu };
}

/** Fork the installed sweep worker and time one trial job from the fork to its reply (wall, and the worker's CPU). */
function workerTrial(dir: string, worker: ReturnType<typeof fork> | undefined, n: number) {
  const child =
    worker ??
    fork(join(dir, 'node_modules/@anneal/cli/dist/sweep-worker.js'), [], { cwd: dir, env: userEnv(), stdio: 'ignore' });
  const started = performance.now();
  const cpuBefore = worker ? cpuFromProc(child.pid!) : 0;
  return new Promise<{ seconds: number; cpu?: number; child: ReturnType<typeof fork> }>((resolve, reject) => {
    child.once('message', (outcome: { status: string; message?: string }) => {
      if (outcome.status !== 'completed') reject(new Error(`worker trial ${outcome.status}: ${outcome.message}`));
      const cpuAfter = cpuFromProc(child.pid!);
      const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
      resolve({ seconds: (performance.now() - started) / 1000, cpu, child });
    });
    child.send({ id: `t${n}`, configFile: join(dir, 'tiny.yaml'), outDir: join(dir, `worker-runs/t${n}`) });
  });
}

export async function benchStartup(lines: string[]): Promise<void> {
  const argv = process.argv;
  // `--dir PROJECT` reuses an install made by `node scripts/pack-test.mjs --keep`.
  const dir = argv.includes('--dir')
    ? argv[argv.indexOf('--dir') + 1]
    : packAndInstall({ build: !argv.includes('--no-build') }).dir;
  const exp = join(dir, 'node_modules/.bin/exp');
  mkdirSync(join(dir, 'configs'), { recursive: true });
  copyFileSync(join(repo, 'configs/mnist-cosine-warmup.yaml'), join(dir, 'configs/mnist-cosine-warmup.yaml'));
  // A trial whose training is one batch of generated data: the worker's own start-up dominates.
  writeFileSync(
    join(dir, 'tiny.yaml'),
    'name: tiny\nseed: 1\ndata: { name: synthetic, samples: 64 }\nmodel: { name: mlp, hidden: [8] }\noptimizer: { name: adam, learningRate: 0.01 }\nschedule: { name: constant }\ntrain: { epochs: 1, batchSize: 64, backend: wasm }\noutput: { plots: false, tensorboard: false, saveModel: false }\n',
  );
  const commands: Array<[string, string[]]> = [
    ['exp --help', ['--help']],
    ['exp validate configs/mnist-cosine-warmup.yaml', ['validate', 'configs/mnist-cosine-warmup.yaml']],
    [
      'exp schedule configs/mnist-cosine-warmup.yaml --json',
      ['schedule', 'configs/mnist-cosine-warmup.yaml', '--json'],
    ],
  ];
  const node = { wall: [] as number[], cpu: [] as number[] };
  const times = new Map(commands.map(([name]) => [name, { wall: [] as number[], cpu: [] as number[] }]));
  const record = (into: { wall: number[]; cpu: number[] }, run: { wall: number; cpu?: number }) => {
    into.wall.push(run.wall);
    if (run.cpu !== undefined) into.cpu.push(run.cpu);
  };
  // One untimed run of each first, so that no timed run reads the files from a cold disk cache.
  timed(process.execPath, ['-e', '0'], dir);
  for (const [, args] of commands) timed(exp, args, dir);
  const load = loadavg()[0];
  // Interleaved, so a burst of load on the shared machine hits every command alike.
  for (let i = 0; i < RUNS; i++) {
    record(node, timed(process.execPath, ['-e', '0'], dir));
    for (const [name, args] of commands) record(times.get(name)!, timed(exp, args, dir));
  }
  const cores = availableParallelism();
  const loaded = Math.max(load, loadavg()[0]) > cores / 2;
  lines.push(
    `start-up of the installed bin (npm install of the tarballs; node_modules/.bin/exp; median of ${RUNS}; load average ${load.toFixed(1)} on ${cores} cores):`,
  );
  // CPU time is the mean over the runs (the kernel counts it in ticks of 10 ms).
  const cpuOf = (xs: number[]) =>
    xs.length ? `  CPU ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)} s` : '';
  lines.push(`  ${'node -e 0 (floor)'.padEnd(54)}${median(node.wall).toFixed(3)} s${cpuOf(node.cpu)}`);
  for (const [name, t] of times)
    lines.push(`  ${name.padEnd(54)}${median(t.wall).toFixed(3)} s${cpuOf(t.cpu)}  ${verdict(median(t.wall), GOAL)}`);
  if (loaded)
    lines.push(
      `  the machine is busy (load average above ${cores / 2}): wall times are inflated, and the goals are about a quiet machine; CPU times are the steadier figure`,
    );

  const first: number[] = [];
  const warm: number[] = [];
  const readyCpu: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = await workerTrial(dir, undefined, 2 * i);
    const b = await workerTrial(dir, a.child, 2 * i + 1);
    a.child.disconnect();
    first.push(a.seconds);
    warm.push(b.seconds);
    if (a.cpu !== undefined && b.cpu !== undefined) readyCpu.push(a.cpu - b.cpu);
  }
  const ready = median(first.map((f, i) => f - warm[i]));
  lines.push(
    `sweep worker (dist/sweep-worker.js forked as a sweep does; one-batch trial on synthetic data, median of 3):`,
  );
  lines.push(`  fork → first trial done   ${median(first).toFixed(2)} s`);
  lines.push(`  same trial, warm worker   ${median(warm).toFixed(2)} s`);
  const cpu = readyCpu.length ? `  CPU ${median(readyCpu).toFixed(2)} s` : '';
  lines.push(
    `  ready to train after fork ${ready.toFixed(2)} s${cpu} (the difference: node, anneal, tfjs and the wasm backend)  ${verdict(ready, WORKER_GOAL)}`,
  );
}
