import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { background, killBackground, startWorker, testPrefix } from './background.ts';
import { exp, tempDir } from './exp.ts';
import { testRedisUrl } from './redis.ts';

// Issue 12 on the queue of issue 10: a trial on an `exp worker` reports every epoch to the sweep's
// controller, whose pruner decides exactly as for a local trial. ASHA's decisions depend on the
// order trials reach a rung, so both sweeps run one trial at a time in plan order (--parallel 1;
// on a queue it bounds the trials in flight): same seeds → same metrics → same decisions, whichever
// of the two workers takes a trial. Six learning rates on tiny 2-D data; the smallest barely learn.
const config = (pruner: string) => `name: qpruned
seed: 3
data: { name: synthetic, kind: blobs, samples: 240, classes: 3, validationSplit: 0.25 }
model: { name: mlp, hidden: [8] }
optimizer: { name: sgd, learningRate: 0.1 }
train: { epochs: 9, batchSize: 32, backend: cpu }
output: { tensorboard: false, plots: false, saveModel: false }
sweep:
  parameters:
    optimizer.learningRate: [0.3, 1.0e-5, 0.1, 3.0e-5, 0.03, 1.0e-4]
  metric: val_loss
  goal: min
  pruner: ${pruner}
`;

const env = { ...process.env, CI: '1' };
afterEach(killBackground);

interface Row {
  id: string;
  status: string;
  epochs: number;
  final: number | null;
  best: number | null;
  bestEpoch: number | null;
}
const rows = (dir: string): Row[] =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .map(({ id, status, epochs, final, best, bestEpoch }) => ({ id, status, epochs, final, best, bestEpoch }));
/** The pruner's decisions and every value it recorded. */
const decisions = (dir: string) => {
  const { stopped, records, completed } = JSON.parse(readFileSync(join(dir, 'pruner.json'), 'utf8'));
  return { stopped, records, completed: [...completed].sort() };
};

async function localSweep(dir: string): Promise<string> {
  const out = join(dir, 'local');
  const r = await exp(['sweep', join(dir, 'c.yaml'), '--out', out, '--parallel', '1', '--no-plots']);
  expect(r.code, r.stderr).toBe(0);
  return out;
}

describe('a pruned sweep on the queue', () => {
  for (const pruner of [
    '{ name: asha, minEpochs: 1, reductionFactor: 3 }',
    '{ name: median, minEpochs: 2, startupTrials: 1 }',
  ])
    it(`stops on two workers the trials the local sweep stops: ${pruner}`, async () => {
      const url = testRedisUrl();
      const dir = tempDir({ 'c.yaml': config(pruner) });
      const local = await localSweep(dir);
      const expected = rows(local);
      const pruned = expected.filter((r) => r.status === 'pruned');
      // The setup must prune something and keep something, or the comparison proves little.
      expect(pruned.length, JSON.stringify(expected)).toBeGreaterThan(0);
      expect(expected.some((r) => r.status === 'completed')).toBe(true);

      const p = testPrefix();
      const workers = [1, 2].map((i) => startWorker(url, join(dir, `w${i}`), p, env));
      for (const w of workers) await w.waitFor(/taking trials/);
      const out = join(dir, 'queued');
      const q = await exp([
        'sweep',
        join(dir, 'c.yaml'),
        '--out',
        out,
        '--queue',
        url,
        '--prefix',
        p,
        '--parallel',
        '1',
        '--no-plots',
      ]);
      expect(q.code, q.stderr).toBe(0);
      expect(rows(out)).toEqual(expected);
      expect(decisions(out)).toEqual(decisions(local));
      // Each pruned trial was stopped on a worker, which said so, once.
      const logs = workers.map((w) => w.log()).join('\n');
      for (const r of pruned) {
        expect(logs.match(new RegExp(`${r.id}: pruned in`, 'g')), logs).toHaveLength(1);
        const summary = JSON.parse(readFileSync(join(out, 'trials', r.id, 'summary.json'), 'utf8'));
        expect(summary.message).toMatch(new RegExp(`after epoch ${r.epochs}/9`));
        expect(summary.host).toBeTruthy();
      }
      for (const w of workers) w.child.kill('SIGTERM');
      for (const w of workers) expect(await w.exited).toBe(0);
    }, 300_000);

  it('trains on while the controller is down, and a resumed controller catches up with the same decisions', async () => {
    const url = testRedisUrl();
    const dir = tempDir({ 'c.yaml': config('{ name: asha, minEpochs: 1, reductionFactor: 3 }') });
    const expected = rows(await localSweep(dir));
    const p = testPrefix();
    const w = startWorker(url, join(dir, 'w'), p, env);
    await w.waitFor(/taking trials/);
    const out = join(dir, 'queued');
    const args = ['--queue', url, '--prefix', p, '--parallel', '1', '--no-plots'];
    const sweep = background(['sweep', join(dir, 'c.yaml'), '--out', out, ...args], env);
    // Killed as the first trial starts: its epoch reports find no controller, and it must still
    // finish (no hang). The first trial is never pruned (nothing to compare with at any rung), so
    // the resumed sweep, which reads its reports late, reaches the local sweep's decisions.
    await w.waitFor(/(t-\w+): starting/);
    sweep.child.kill('SIGKILL');
    await sweep.exited;
    const first = /(t-\w+): starting/.exec(w.log())![1];
    await w.waitFor(new RegExp(`${first}: completed in`), 'the first trial to finish on the worker');
    const resumed = await exp(['sweep', '--resume', out, ...args]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(rows(out)).toEqual(expected);
    // The late reports were answered and the lists removed with the jobs.
    expect(w.log().match(new RegExp(`${first}: `, 'g'))).toHaveLength(2); // starting, completed
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
  }, 300_000);
});
