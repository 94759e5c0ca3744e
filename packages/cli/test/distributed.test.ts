import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { background as backgroundExp, killBackground, startWorker, testPrefix } from './background.ts';
import { exp, repoRoot, tempDir } from './exp.ts';
import { freePort, OwnRedis, testRedisUrl } from './redis.ts';

// Distributed sweeps against a real Redis (scripts/services.sh starts one for `pnpm test`); tests
// that stop Redis or need a password start their own. Trials are tiny (240 2-D points).
const config = (epochs = 4) => `name: dist
seed: 3
data: { name: synthetic, kind: spirals, samples: 240, classes: 3, noise: 0.2, validationSplit: 0.25 }
model: { name: mlp, hidden: [8] }
optimizer: { name: adam, learningRate: 0.05 }
schedule: { name: cosine-warmup, warmup: 1, epsilon: 1.0e-4 }
train: { epochs: ${epochs}, batchSize: 32, backend: cpu }
output: { tensorboard: false, plots: false }
sweep:
  parameters:
    schedule.warmup: [0, 1, 2]
    schedule.epsilon: [0, 1.0e-3]
  metric: val_acc
  goal: max
`;

// Short locks, so a worker killed with -9 gives its trial back within seconds, not the default 10 s.
const env = { ...process.env, CI: '1', ANNEAL_QUEUE_LOCK_MS: '3000' };
afterEach(killBackground);
const background = (args: string[]) => backgroundExp(args, env);
const prefix = testPrefix;
const worker = (url: string, out: string, p: string) => startWorker(url, out, p, env);

const csv = (dir: string) => {
  const [header, ...rows] = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  const cols = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
};
/** What must not change between a local and a distributed run of the same trials (same seeds). */
const outcome = (dir: string) =>
  csv(dir)
    .map((r) => [r.id, r.status, r.val_acc_final, r.val_acc_best, r.best_epoch, r.epochs].join(','))
    .sort();
const completedLines = (log: string, id: string) => log.match(new RegExp(`${id}: completed in`, 'g'))?.length ?? 0;

describe('distributed sweeps (BullMQ on Redis)', () => {
  it('runs a 6-trial sweep on two workers with the same results as the local sweep', async () => {
    const url = testRedisUrl();
    const dir = tempDir({ 'c.yaml': config() });
    const local = await exp([
      'sweep',
      join(dir, 'c.yaml'),
      '--out',
      join(dir, 'local'),
      '--parallel',
      '2',
      '--no-plots',
    ]);
    expect(local.code, local.stderr).toBe(0);

    // Two workers started with the shell recipe of docs/distributed.md.
    const p = prefix();
    const recipe = (...args: string[]) =>
      spawnSync('bash', [join(repoRoot, 'scripts/workers.sh'), ...args], {
        cwd: dir,
        env: { ...env, ANNEAL_WORKERS_DIR: join(dir, 'workers') },
        encoding: 'utf8',
      });
    const started = recipe('start', '2', url, '--out', join(dir, 'w'), '--prefix', p);
    expect(started.status, started.stderr).toBe(0);
    try {
      const r = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'queued'), '--queue', url, '--prefix', p]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/\[6\/6\] t-\w+ .*: completed/);
      expect(outcome(join(dir, 'queued'))).toEqual(outcome(join(dir, 'local')));
      // results.csv records where each trial ran; the run directory is there on the worker's disk.
      for (const row of csv(join(dir, 'queued'))) {
        expect(row.host).toBeTruthy();
        expect(row.run_dir).toBe(
          join(dir, 'w', JSON.parse(readFileSync(join(dir, 'queued', 'queue.json'), 'utf8')).key, row.id),
        );
        expect(existsSync(join(row.run_dir, 'model', 'model.json'))).toBe(true);
      }
      for (const f of ['summary.md', 'best.yaml', 'plots/heatmap.svg', 'plots/top-val_acc.svg'])
        expect(existsSync(join(dir, 'queued', f)), f).toBe(true);
      const rep = await exp(['report', join(dir, 'queued')]);
      expect(rep.code, rep.stderr).toBe(0);
      expect(rep.stdout).toMatch(/6 completed/);
    } finally {
      const stopped = recipe('stop');
      expect(stopped.status, stopped.stderr).toBe(0);
    }
    const logs = [1, 2].map((i) => readFileSync(join(dir, 'workers', `worker-${i}.log`), 'utf8'));
    for (const log of logs) expect(log).toMatch(/worker stopped/);
    // Every trial ran once, on one of the two.
    for (const row of csv(join(dir, 'queued'))) expect(completedLines(logs.join('\n'), row.id)).toBe(1);
  }, 300_000);

  it('gives a killed worker’s trial to another worker: none lost, none twice', async () => {
    const url = testRedisUrl();
    // Long enough (a few seconds a trial on a quiet machine, warm worker) to be killed mid-trial.
    const dir = tempDir({ 'c.yaml': config(150) });
    const p = prefix();
    // Both workers share one --out, as hosts sharing a disk do: the trial continues from its checkpoint.
    const a = worker(url, join(dir, 'w'), p);
    await a.waitFor(/taking trials/);
    const sweep = background([
      'sweep',
      join(dir, 'c.yaml'),
      '--out',
      join(dir, 's'),
      '--queue',
      url,
      '--prefix',
      p,
      '--no-plots',
    ]);
    // Kill the worker (its trial process goes with it) once the trial it is running has written a
    // couple of epochs: found from its log and its run directory, not from a sleep, since a quiet
    // machine may finish a trial before any fixed delay is over.
    const running = () => {
      const started = [...a.log().matchAll(/(t-\w+): starting in (\S+)/g)].filter(
        (m) => completedLines(a.log(), m[1]) === 0,
      );
      const last = started.at(-1);
      const metrics = last && join(last[2], 'metrics.jsonl');
      return metrics && existsSync(metrics) && readFileSync(metrics, 'utf8').split('\n').filter(Boolean).length >= 2
        ? last[1]
        : undefined;
    };
    while (!running()) await new Promise((r) => setTimeout(r, 20));
    const victim = running()!;
    a.child.kill('SIGKILL');
    await a.exited;
    expect(completedLines(a.log(), victim), a.log()).toBe(0);
    const b = worker(url, join(dir, 'w'), p);
    expect(await sweep.exited, sweep.log()).toBe(0);
    const rows = csv(join(dir, 's'));
    expect(rows.map((r) => r.id).sort()).toEqual([...new Set(rows.map((r) => r.id))].sort());
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'completed' && r.epochs === '150')).toBe(true);
    expect(b.log()).toMatch(new RegExp(`${victim}: (continuing from its last checkpoint|starting)`));
    expect(completedLines(b.log(), victim)).toBe(1);
    b.child.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  }, 300_000);

  it('keeps the workers going when the controller is killed; --resume collects without rerunning', async () => {
    const url = testRedisUrl();
    const dir = tempDir({ 'c.yaml': config() });
    const p = prefix();
    const w = worker(url, join(dir, 'w'), p);
    await w.waitFor(/taking trials/);
    const out = join(dir, 's');
    const sweep = background(['sweep', join(dir, 'c.yaml'), '--out', out, '--queue', url, '--prefix', p, '--no-plots']);
    await sweep.waitFor(/\[1\/6\]/);
    sweep.child.kill('SIGKILL');
    await sweep.exited;
    // The worker finishes the queued trials with nobody listening.
    await w.waitFor(/(t-\w+: completed in[\s\S]*){6}/, 'all six trials on the worker');
    const resumed = await exp(['sweep', '--resume', out, '--queue', url, '--no-plots']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rows = csv(out);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'completed')).toBe(true);
    // Nothing ran twice: one "completed" line per trial in the worker's log.
    await new Promise((r) => setTimeout(r, 1000));
    for (const r of rows) expect(completedLines(w.log(), r.id), r.id).toBe(1);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 300_000);

  it('waits for a restarted Redis and puts back the trials it lost', async () => {
    const redis = await OwnRedis.start();
    try {
      const dir = tempDir({ 'c.yaml': config(12) });
      const p = prefix();
      const w = worker(redis.url, join(dir, 'w'), p);
      await w.waitFor(/taking trials/);
      const sweep = background([
        'sweep',
        join(dir, 'c.yaml'),
        '--out',
        join(dir, 's'),
        '--queue',
        redis.url,
        '--prefix',
        p,
        '--no-plots',
      ]);
      await sweep.waitFor(/\[1\/6\]/);
      await redis.down();
      await sweep.waitFor(
        /Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable.*waiting and retrying/,
        'the controller noticing',
      );
      await new Promise((r) => setTimeout(r, 2000));
      await redis.up();
      await sweep.waitFor(/put \d+ trials back that Redis no longer had/, 'the re-enqueue');
      expect(await sweep.exited, sweep.log()).toBe(0);
      const rows = csv(join(dir, 's'));
      expect(rows.map((r) => r.id).sort()).toEqual([...new Set(rows.map((r) => r.id))].sort());
      expect(rows).toHaveLength(6);
      expect(rows.every((r) => r.status === 'completed')).toBe(true);
      expect(w.log()).toMatch(/unreachable/);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
    } finally {
      await redis.down();
    }
  }, 300_000);

  it('fails within seconds, exit 2, on a bad URL, an unreachable Redis and a wrong password — never printing it', async () => {
    const dir = tempDir({ 'c.yaml': config() });
    const bad = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'bad'), '--queue', 'http://example:6379']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--queue: "http:\/\/example:6379" is not a redis:\/\/ or rediss:\/\/ URL/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);

    const closed = `redis://127.0.0.1:${await freePort()}`;
    const t0 = Date.now();
    const down = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'down'), '--queue', closed]);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/);
    expect(existsSync(join(dir, 'down'))).toBe(false);
    const w = await exp(['worker', closed]);
    expect(w.code).toBe(2);
    expect(Date.now() - t0).toBeLessThan(60_000);

    const redis = await OwnRedis.start(['--requirepass', 's3cret-pw']);
    try {
      const wrong = `redis://:wrong-pw@127.0.0.1:${redis.port}`;
      for (const args of [
        ['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'auth'), '--queue', wrong],
        ['worker', wrong],
      ]) {
        const r = await exp(args);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stderr).toMatch(/authentication failed/);
        expect(r.stderr + r.stdout).not.toMatch(/wrong-pw/);
      }
      // The right password works, and is shown as *** only; nothing in the sweep directory holds it.
      const good = `redis://:s3cret-pw@127.0.0.1:${redis.port}`;
      const p = prefix();
      const wk = worker(good, join(dir, 'w'), p);
      await wk.waitFor(/taking trials from redis:\/\/:\*\*\*@127\.0\.0\.1/);
      const r = await exp([
        'sweep',
        join(dir, 'c.yaml'),
        'sweep.parameters={}',
        'schedule.warmup=0,1',
        '--out',
        join(dir, 'ok'),
        '--queue',
        good,
        '--prefix',
        p,
        '--no-plots',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr + r.stdout + wk.log()).not.toMatch(/s3cret-pw/);
      const grep = spawnSync('grep', ['-r', 's3cret-pw', join(dir, 'ok'), join(dir, 'w')], { encoding: 'utf8' });
      expect(grep.stdout).toBe('');
      expect(grep.status, grep.stderr).toBe(1); // no match (2 would be an error)
      wk.child.kill('SIGTERM');
      expect(await wk.exited).toBe(0);
    } finally {
      await redis.down();
    }
  }, 300_000);
});
