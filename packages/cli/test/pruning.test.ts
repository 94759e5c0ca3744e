import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPruner, type PrunerConfig } from '@anneal/sweep';
import { exp, repoRoot, tempDir } from './exp.ts';

// Issue 12: a sweep with an ASHA pruner stops bad trials after an epoch, records them as `pruned`
// with their metrics so far, keeps the decisions in pruner.json, and a resumed sweep keeps them.
// Six learning rates on tiny 2-D data: the smallest barely learn, so ASHA has something to stop.
const config = `name: pruned
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
  pruner: { name: asha, minEpochs: 1, reductionFactor: 3 }
`;

interface ResultRow {
  id: string;
  status: string;
  epochs: number;
}

const results = (dir: string): ResultRow[] =>
  readFileSync(join(dir, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

const valLosses = (dir: string, id: string) =>
  readFileSync(join(dir, 'trials', id, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).val_loss as number);

describe('exp sweep with a pruner', () => {
  it('stops the trials ASHA rules out, records them as pruned, and a resume keeps every decision', async () => {
    const dir = tempDir({ 'c.yaml': config });
    const out = join(dir, 'sweep');
    const dry = await exp(['sweep', join(dir, 'c.yaml'), '--dry-run']);
    // rungs 1 and 3 in 9 epochs: 1 + 2/3 + 6/9 epochs a trial expected, 14 for six trials.
    expect(dry.stdout).toMatch(/budget: 6 trials, at most 54 epochs, about 14 expected with the asha pruner/);

    const r = await exp(['sweep', join(dir, 'c.yaml'), '--out', out, '--parallel', '1']);
    expect(r.code, r.stderr).toBe(0);
    const rows = results(out);
    const pruned = rows.filter((row) => row.status === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.status === 'completed').length).toBeGreaterThan(0);
    for (const row of pruned) expect(row.epochs).toBeLessThan(9);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/pruned/);

    // One trial at a time in plan order: replaying the same pruner over the recorded metrics
    // must reach the same decisions at the same epochs.
    const replay = createPruner(
      {
        name: 'asha',
        metric: 'val_loss',
        mode: 'min',
        minEpochs: 1,
        reductionFactor: 3,
        startupTrials: 0,
      } as PrunerConfig,
      9,
    );
    const manifest = JSON.parse(readFileSync(join(out, 'sweep.json'), 'utf8')) as { trials: { id: string }[] };
    for (const { id } of manifest.trials) {
      const losses = valLosses(out, id);
      let stoppedAt: number | undefined;
      for (let e = 0; e < losses.length && e < 8; e++) {
        if (replay.report(id, e + 1, losses[e]) === 'stop') {
          stoppedAt = e + 1;
          break;
        }
      }
      const row = rows.find((x) => x.id === id)!;
      expect(row.status, id).toBe(stoppedAt === undefined ? 'completed' : 'pruned');
      if (stoppedAt !== undefined) expect(row.epochs, id).toBe(stoppedAt);
    }
    const saved = JSON.parse(readFileSync(join(out, 'pruner.json'), 'utf8'));
    expect(Object.keys(saved.stopped).sort()).toEqual(pruned.map((p) => p.id).sort());

    // A resume finds every trial finished (pruned ones included): nothing runs again.
    const again = await exp(['sweep', '--resume', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(results(out)).toEqual(rows);
    expect(existsSync(join(out, 'pruner.json'))).toBe(true);
  }, 300_000);

  it('killed mid-sweep (kill -9 of `exp sweep`) and resumed: decisions kept, nothing rerun, no trial twice', async () => {
    const dir = tempDir({ 'c.yaml': config });
    const reference = join(dir, 'reference');
    const ref = await exp(['sweep', join(dir, 'c.yaml'), '--out', reference, '--parallel', '1', '--no-plots']);
    expect(ref.code, ref.stderr).toBe(0);

    const out = join(dir, 'killed');
    const summary = (id: string) => {
      const file = join(out, 'trials', id, 'summary.json');
      return existsSync(file) ? readFileSync(file, 'utf8') : '';
    };
    const withStatus = (status: RegExp) =>
      existsSync(join(out, 'trials')) ? readdirSync(join(out, 'trials')).filter((id) => status.test(summary(id))) : [];
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'packages/cli/bin/exp.js'),
        'sweep',
        join(dir, 'c.yaml'),
        '--out',
        out,
        '--parallel',
        '1',
        '--no-plots',
      ],
      { cwd: repoRoot, stdio: 'ignore', env: { ...process.env, CI: '1' } },
    );
    const exited = new Promise((r) => child.once('exit', r));
    let ended = false;
    void exited.then(() => (ended = true));
    // While a trial runs, after ASHA has stopped one.
    while (!ended && !(withStatus(/"status": "pruned"/).length >= 1 && withStatus(/"status": "running"/).length >= 1))
      await new Promise((r) => setTimeout(r, 50));
    expect(ended, 'the sweep ended before the moment to kill it').toBe(false);
    child.kill('SIGKILL');
    await exited;
    const finishedBefore = Object.fromEntries(
      withStatus(/"status": "(completed|pruned)"/).map((id) => [id, summary(id)]),
    );
    const stoppedBefore = JSON.parse(readFileSync(join(out, 'pruner.json'), 'utf8')).stopped;
    expect(Object.keys(stoppedBefore).length).toBeGreaterThanOrEqual(1);

    const resumed = await exp(['sweep', '--resume', out, '--parallel', '1', '--no-plots']);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const [id, text] of Object.entries(finishedBefore)) expect(summary(id), id).toBe(text);
    const stoppedAfter = JSON.parse(readFileSync(join(out, 'pruner.json'), 'utf8')).stopped;
    expect(stoppedAfter).toMatchObject(stoppedBefore);
    const rows = results(out);
    expect(new Set(rows.map((r) => r.id)).size).toBe(6);
    expect(rows).toHaveLength(6);
    // One trial at a time in plan order, the killed trial rerun from scratch: the same decisions,
    // at the same epochs, as the sweep that was never killed.
    const pick = (rs: ResultRow[]) =>
      rs.map(({ id, status, epochs }) => ({ id, status, epochs })).sort((a, b) => a.id.localeCompare(b.id));
    expect(pick(rows)).toEqual(pick(results(reference)));
    expect(stoppedAfter).toEqual(JSON.parse(readFileSync(join(reference, 'pruner.json'), 'utf8')).stopped);
  }, 300_000);
});
