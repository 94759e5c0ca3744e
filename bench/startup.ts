// Start-up of the installed `exp` (README "Use it in your project"): the tarballs installed with
// npm in an empty folder, timed on node_modules/.bin/exp itself (no pnpm or npx wrapper).
import { fork, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, repo, userEnv } from '../scripts/pack-install.mjs';

const RUNS = 9;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wall(bin: string, args: string[], cwd: string): number {
  const started = performance.now();
  const r = spawnSync(bin, args, { cwd, env: userEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`exp ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return (performance.now() - started) / 1000;
}

/** Fork the installed sweep worker and time one trial job from the fork to its reply. */
function workerTrial(dir: string, worker: ReturnType<typeof fork> | undefined, n: number) {
  const child =
    worker ??
    fork(join(dir, 'node_modules/@anneal/cli/dist/sweep-worker.js'), [], { cwd: dir, env: userEnv(), stdio: 'ignore' });
  const started = performance.now();
  return new Promise<{ seconds: number; child: ReturnType<typeof fork> }>((resolve, reject) => {
    child.once('message', (outcome: { status: string; message?: string }) => {
      if (outcome.status !== 'completed') reject(new Error(`worker trial ${outcome.status}: ${outcome.message}`));
      resolve({ seconds: (performance.now() - started) / 1000, child });
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
  mkdirSync(join(dir, 'configs'));
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
  const times = new Map(commands.map(([name]) => [name, [] as number[]]));
  wall(process.execPath, ['-e', '0'], dir);
  const node: number[] = [];
  // Interleaved, so a burst of load on the shared machine hits every command alike.
  for (let i = 0; i < RUNS; i++) {
    node.push(wall(process.execPath, ['-e', '0'], dir));
    for (const [name, args] of commands) times.get(name)!.push(wall(exp, args, dir));
  }
  lines.push(`start-up of the installed bin (npm install of the tarballs; node_modules/.bin/exp; median of ${RUNS}):`);
  lines.push(`  node -e 0 (floor)                                     ${median(node).toFixed(3)} s`);
  for (const [name, xs] of times) lines.push(`  ${name.padEnd(54)}${median(xs).toFixed(3)} s (goal ≤ 0.3 s)`);

  const first: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) {
    const a = await workerTrial(dir, undefined, 2 * i);
    const b = await workerTrial(dir, a.child, 2 * i + 1);
    a.child.disconnect();
    first.push(a.seconds);
    warm.push(b.seconds);
  }
  const ready = median(first.map((f, i) => f - warm[i]));
  lines.push(
    `sweep worker (dist/sweep-worker.js forked as a sweep does; one-batch trial on synthetic data, median of 3):`,
  );
  lines.push(`  fork → first trial done   ${median(first).toFixed(2)} s`);
  lines.push(`  same trial, warm worker   ${median(warm).toFixed(2)} s`);
  lines.push(
    `  ready to train after fork ${ready.toFixed(2)} s (the difference: node, anneal, tfjs and the wasm backend; goal ≤ 1 s)`,
  );
}
