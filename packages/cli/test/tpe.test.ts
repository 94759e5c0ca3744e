import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runSweep } from '../src/api.ts';
import { exp, repoRoot, tempDir } from './exp.ts';

// Issue 12: `sweep.method: tpe`. Iris trains in well under a second an epoch, so a 14-trial
// sweep (10 at random, then 4 TPE proposals) takes seconds.
const iris = `name: iris-tpe
seed: 1
data: { name: iris, validationSplit: 0.2 }
model: { name: mlp, hidden: [8] }
optimizer: { name: adam, learningRate: 0.02 }
train: { epochs: 4, batchSize: 16, backend: cpu }
output: { tensorboard: false, plots: false, saveModel: false }
sweep:
  method: tpe
  trials: 14
  seed: 7
  metric: val_loss
  goal: min
  parameters:
    optimizer.learningRate: { min: 1.0e-4, max: 0.3, log: true }
    model.hidden: [[4], [8], [16]]
    train.batchSize: { min: 8, max: 32, int: true }
`;

// With a pruner: learning rates from hopeless to good on separable blobs, so ASHA stops some.
const pruned = `name: tpe-pruned
seed: 3
data: { name: synthetic, kind: blobs, samples: 600, classes: 3, validationSplit: 0.25 }
model: { name: mlp, hidden: [16] }
optimizer: { name: sgd, learningRate: 0.1 }
train: { epochs: 9, batchSize: 16, backend: cpu }
output: { tensorboard: false, plots: false, saveModel: false }
sweep:
  method: tpe
  trials: 12
  seed: 11
  parameters:
    optimizer.learningRate: { min: 1.0e-5, max: 1.0, log: true }
  metric: val_loss
  goal: min
  pruner: { name: asha, minEpochs: 1, reductionFactor: 3 }
`;

interface Row {
  id: string;
  status: string;
  epochs: number;
  seconds: number;
  [key: string]: unknown;
}
const results = (dir: string): Row[] =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const proposals = (dir: string) =>
  existsSync(join(dir, 'proposals.jsonl')) ? readFileSync(join(dir, 'proposals.jsonl'), 'utf8') : '';
const proposalRows = (dir: string) =>
  proposals(dir)
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { index: number; id?: string; duplicate?: boolean; history: number; point: object });
const summaryOf = (dir: string, id: string) => {
  const file = join(dir, 'trials', id, 'summary.json');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};
const trialsWith = (dir: string, status: RegExp) =>
  existsSync(join(dir, 'trials'))
    ? readdirSync(join(dir, 'trials')).filter((id) => status.test(summaryOf(dir, id)))
    : [];
const withoutTimes = (rows: Row[]) => rows.map(({ seconds: _, ...rest }) => rest);

/** `exp sweep …` as a user starts it, killed with SIGKILL once `ready()` holds. */
async function killedSweep(args: string[], ready: () => boolean): Promise<void> {
  const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/exp.js'), 'sweep', ...args], {
    cwd: repoRoot,
    stdio: 'ignore',
    env: { ...process.env, CI: '1' },
  });
  const exited = new Promise((r) => child.once('exit', r));
  let done = false;
  void exited.then(() => (done = true));
  while (!ready() && !done) await new Promise((r) => setTimeout(r, 50));
  expect(done, 'the sweep ended before the moment to kill it').toBe(false);
  child.kill('SIGKILL');
  await exited;
}

describe('exp sweep with method: tpe', () => {
  it('shows its budget, and with one trial at a time repeats exactly: same proposals, same results', async () => {
    const dir = tempDir({ 'c.yaml': iris });
    const dry = await exp(['sweep', join(dir, 'c.yaml'), '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^14 trials \(tpe over optimizer\.learningRate, model\.hidden, train\.batchSize\)/);
    expect(dry.stdout).toMatch(/^budget: 14 trials, at most 56 epochs$/m);
    expect(dry.stdout).toMatch(/the first 10 at random/);
    expect(existsSync(join(dir, 'a'))).toBe(false);

    const a = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'a'), '--parallel', '1', '--no-plots']);
    expect(a.code, a.stderr).toBe(0);
    const b = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'b'), '--parallel', '1', '--no-plots']);
    expect(b.code, b.stderr).toBe(0);
    expect(proposals(join(dir, 'b'))).toBe(proposals(join(dir, 'a')));
    expect(withoutTimes(results(join(dir, 'b')))).toEqual(withoutTimes(results(join(dir, 'a'))));

    const recorded = proposalRows(join(dir, 'a'));
    expect(recorded.map((p) => p.index)).toEqual([...Array(14).keys()]);
    // One at a time: proposal i was made when the i trials before it had finished.
    recorded.forEach((p, i) => expect(p.history).toBe(i));
    const rows = results(join(dir, 'a'));
    const ids = recorded.filter((p) => p.id && !p.duplicate).map((p) => p.id);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) expect(r.status).toBe('completed');
    // A different sweep seed proposes differently.
    const c = await exp(['sweep', join(dir, 'c.yaml'), 'sweep.seed=8', '--dry-run']);
    expect(c.stdout).toMatch(/seeded by sweep.seed 8/);

    // Results, reports and a resume read a TPE sweep like any other.
    const report = await exp(['report', join(dir, 'a')]);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/14 completed; ranked by val_loss \(min\)/);
    const again = await exp(['sweep', '--resume', join(dir, 'a')]);
    expect(again.code, again.stderr).toBe(0);
    expect(proposals(join(dir, 'a'))).toBe(proposals(join(dir, 'b')));
  }, 300_000);

  it('with a pruner, killed mid-sweep (kill -9) and resumed: recorded proposals reused, decisions kept, nothing run twice', async () => {
    const dir = tempDir({ 'c.yaml': pruned });
    const out = join(dir, 's');
    // Kill once ASHA has stopped a trial and another has finished, while trials still run.
    await killedSweep(
      [join(dir, 'c.yaml'), '--out', out, '--parallel', '2', '--no-plots'],
      () =>
        trialsWith(out, /"status": "pruned"/).length >= 1 &&
        trialsWith(out, /"status": "(completed|pruned)"/).length >= 3 &&
        trialsWith(out, /"status": "running"/).length >= 1,
    );
    const before = proposals(out);
    const finishedBefore = Object.fromEntries(
      trialsWith(out, /"status": "(completed|pruned)"/).map((id) => [id, summaryOf(out, id)]),
    );
    const stoppedBefore = JSON.parse(readFileSync(join(out, 'pruner.json'), 'utf8')).stopped as Record<string, number>;

    const resumed = await exp(['sweep', '--resume', out, '--parallel', '2', '--no-plots']);
    expect(resumed.code, resumed.stderr).toBe(0);
    // The proposals made before the kill are the start of the record, unchanged (none re-drawn).
    const after = proposals(out);
    expect(after.startsWith(before)).toBe(true);
    const recorded = proposalRows(out);
    expect(recorded.map((p) => p.index)).toEqual([...Array(12).keys()]);
    // Finished trials were not run again; the pruner's stops stand, at the same epochs.
    for (const [id, text] of Object.entries(finishedBefore)) expect(summaryOf(out, id), id).toBe(text);
    const stoppedAfter = JSON.parse(readFileSync(join(out, 'pruner.json'), 'utf8')).stopped as Record<string, number>;
    expect(stoppedAfter).toMatchObject(stoppedBefore);
    // Every proposal's trial is in the results once, finished; a pruned trial at its stop epoch.
    const rows = results(out);
    const ids = recorded.filter((p) => p.id && !p.duplicate).map((p) => p.id);
    expect(rows.map((r) => r.id).sort()).toEqual([...new Set(ids)].sort());
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    for (const r of rows) {
      expect(['completed', 'pruned'], r.id).toContain(r.status);
      if (r.status === 'pruned') expect(r.epochs, r.id).toBe(stoppedAfter[r.id]);
    }
    expect(rows.filter((r) => r.status === 'pruned').length).toBeGreaterThanOrEqual(1);
  }, 300_000);

  it('runs from code with a given seed and gives the trials in the order they finished', async () => {
    const dir = tempDir();
    const config = parse(iris.replace('trials: 14', 'trials: 11').replace('seed: 7', 'seed: 21'));
    const result = await runSweep(config, { out: join(dir, 's'), parallel: 1, plots: false });
    expect(result.exitCode).toBe(0);
    // One at a time, trials finish in proposal order.
    const order = proposalRows(join(dir, 's')).map((p) => p.id);
    expect(result.finished.map((r) => r.id)).toEqual(order);
    expect(result.finished).toHaveLength(11);
    expect(JSON.parse(readFileSync(join(dir, 's', 'sweep.json'), 'utf8')).sweep.seed).toBe(21);
  }, 300_000);

  it('counts the budget not yet proposed as unfinished when failures stop the sweep', async () => {
    // A model plugin that throws: every trial fails when it starts.
    const crashy = `import { definePlugin } from '@anneal/core';
export default definePlugin({ kind: 'model', name: 'crashy', description: 'throws',
  schema: { type: 'object', additionalProperties: true }, async create() { throw new Error('deliberate crash'); } });
`;
    const config = iris
      .replace('model: { name: mlp, hidden: [8] }', 'plugins: [./crashy.ts]\nmodel: { name: crashy }')
      .replace('    model.hidden: [[4], [8], [16]]\n', '');
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const r = await exp([
      'sweep',
      join(dir, 'c.yaml'),
      '--out',
      join(dir, 's'),
      '--parallel',
      '1',
      '--fail-fast',
      '--no-plots',
    ]);
    expect(r.code, r.stderr).toBe(1);
    const made = proposalRows(join(dir, 's')).length;
    expect(made).toBeLessThan(14);
    expect(r.stderr).toMatch(new RegExp(`; ${14 - made} trials did not finish`));
  }, 120_000);

  it('refuses a queue, a missing budget and an unknown method, each saying where and how to fix', async () => {
    const dir = tempDir({ 'c.yaml': iris, 'nobudget.yaml': iris.replace('  trials: 14\n', '') });
    const q = await exp(['sweep', join(dir, 'c.yaml'), '--out', join(dir, 'q'), '--queue', 'redis://127.0.0.1:1']);
    expect(q.code).toBe(2);
    expect(q.stderr).toMatch(/sweep.method tpe does not work with a queue yet/);
    expect(existsSync(join(dir, 'q'))).toBe(false);

    const budget = await exp(['validate', join(dir, 'nobudget.yaml')]);
    expect(budget.code).toBe(2);
    expect(budget.stderr).toMatch(/nobudget\.yaml:\d+:\d+: sweep\.trials: `method: tpe` needs a budget/);
    expect(budget.stderr).toMatch(/hint: add `trials: 30`/);

    const typo = await exp(['sweep', join(dir, 'c.yaml'), 'sweep.method=tpx', '--dry-run']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/sweep\.method: string "tpx" is not allowed[\s\S]*did you mean `tpe`\?/);

    const repeats = await exp(['sweep', join(dir, 'c.yaml'), 'sweep.repeats=3', '--dry-run']);
    expect(repeats.code).toBe(2);
    expect(repeats.stderr).toMatch(/sweep\.repeats: `method: tpe` runs each proposal once/);

    const curves = await exp(['schedule', join(dir, 'c.yaml'), '--sweep']);
    expect(curves.code).toBe(2);
    expect(curves.stderr).toMatch(/a tpe sweep proposes its points while it runs/);
  }, 120_000);
});
