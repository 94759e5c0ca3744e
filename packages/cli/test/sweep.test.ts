import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

// Tiny trials (a few hundred 2-D points, a small MLP) so a sweep takes seconds.
const config = `name: tiny
seed: 3
plugins: [./crashy.ts]
data: { name: synthetic, kind: spirals, samples: 240, classes: 3, noise: 0.2, validationSplit: 0.25 }
model: { name: crashy, crash: false }
optimizer: { name: adam, learningRate: 0.05 }
schedule: { name: cosine-warmup, warmup: 1, epsilon: 1.0e-4 }
train: { epochs: 4, batchSize: 32, backend: cpu }
output: { tensorboard: false }
sweep:
  parameters:
    schedule.warmup: [0, 1, 2]
    schedule.epsilon: [0, 1.0e-3]
  metric: val_acc
  goal: max
`;

// A model plugin that wraps the built-in mlp and throws when asked to: the "crashing point".
const crashy = `import { definePlugin } from '@anneal/core';
export default definePlugin({
  kind: 'model', name: 'crashy', description: 'mlp that can crash',
  schema: { type: 'object', additionalProperties: false, properties: { crash: { type: 'boolean', default: false } } },
  async create(options: { crash: boolean }, ctx: any) {
    if (options.crash) throw new Error('deliberate crash for the test');
    const m = ctx.tf.sequential();
    m.add(ctx.tf.layers.dense({ units: 8, activation: 'relu', inputShape: ctx.inputShape, kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed }) }));
    m.add(ctx.tf.layers.dense({ units: ctx.numClasses, activation: 'softmax', kernelInitializer: ctx.tf.initializers.glorotUniform({ seed: ctx.seed + 1 }) }));
    return m;
  },
});
`;

const csvRows = (dir: string) => {
  const [header, ...rows] = readFileSync(join(dir, 'results.csv'), 'utf8').trim().split('\n');
  return { header: header.split(','), rows: rows.map((r) => r.split(',')) };
};

describe('exp sweep', () => {
  it('--dry-run lists the trials and the dropped points with the reason', async () => {
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const r = await exp(['sweep', join(dir, 'c.yaml'), '--dry-run', 'schedule.warmup=0,1,4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^4 trials \(grid over schedule\.warmup, schedule\.epsilon\)/);
    expect(r.stdout).toMatch(/^budget: 4 trials, at most 16 epochs$/m); // 4 trials × train.epochs 4
    expect(r.stdout).toMatch(/2 points dropped/);
    expect(r.stdout).toMatch(/schedule\.warmup=4 {2}schedule\.epsilon=0: schedule\.warmup/);
  });

  it('runs a 3 × 2 grid in parallel and writes results, summary, best.yaml and a heatmap', async () => {
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const out = join(dir, 'sweep');
    const r = await exp(['sweep', join(dir, 'c.yaml'), '--out', out, '--parallel', '2']);
    expect(r.code, r.stderr).toBe(0);
    const { header, rows } = csvRows(out);
    expect(header.slice(0, 3)).toEqual(['id', 'schedule.warmup', 'schedule.epsilon']);
    expect(rows).toHaveLength(6);
    expect(rows.every((row) => row[header.indexOf('status')] === 'completed')).toBe(true);
    // The sweep's lock and every trial's are released when they finish.
    expect(existsSync(join(out, 'anneal.lock'))).toBe(false);
    expect(readdirSync(join(out, 'trials')).filter((id) => existsSync(join(out, 'trials', id, 'anneal.lock')))).toEqual(
      [],
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/## Best configuration/);
    expect(readFileSync(join(out, 'plots', 'heatmap.svg'), 'utf8')).toMatch(/^<svg/);
    expect(existsSync(join(out, 'plots', 'top-val_acc.svg'))).toBe(true);
    // best.yaml is the winner's config and runs as it is.
    const best = readFileSync(join(out, 'best.yaml'), 'utf8');
    // Ranked by the best value; ties by the final value, then by time (docs/sweeps.md).
    const col = (row: string[], name: string) => Number(row[header.indexOf(name)]);
    const ranked = rows
      .filter((row) => row[header.indexOf('status')] === 'completed')
      .map((row) => ({
        id: row[0],
        best: col(row, 'val_acc_best'),
        final: col(row, 'val_acc_final'),
        seconds: col(row, 'seconds'),
      }))
      .sort((a, b) => b.best - a.best || b.final - a.final || a.seconds - b.seconds);
    expect(best).toBe(readFileSync(join(out, 'trials', ranked[0].id, 'config.yaml'), 'utf8'));
    const v = await exp(['validate', join(out, 'best.yaml')]);
    expect(v.code, v.stderr).toBe(0);
    // exp report ranks the same way.
    const rep = await exp(['report', out]);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toMatch(new RegExp(`\\| 1 \\| ${ranked[0].id} \\|`));
  }, 180_000);

  it('completes the other points when one crashes, and reports the crash', async () => {
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const out = join(dir, 'sweep');
    const r = await exp([
      'sweep',
      join(dir, 'c.yaml'),
      '--out',
      out,
      'schedule.warmup=0,1',
      'model.crash=false,true',
      'sweep.parameters={}',
      '--parallel',
      '2',
      '--retries',
      '1',
    ]);
    const { header, rows } = csvRows(out);
    const status = rows.map((row) => [row[header.indexOf('model.crash')], row[header.indexOf('status')]]);
    expect(status.filter(([c]) => c === 'true').every(([, s]) => s === 'failed')).toBe(true);
    expect(status.filter(([c]) => c === 'false').every(([, s]) => s === 'completed')).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/deliberate crash for the test/);
    expect(r.stderr).toMatch(/failed/);
    // --retries 1: each crashing trial is tried twice before it counts as failed.
    expect(r.stderr.match(/retrying t-\w+ \(attempt 2 of 2\) after: .*deliberate crash/g)).toHaveLength(2);
    // docs/errors.md: failed trials make the sweep fail (SWEEP_FAILED, exit 1) …
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error: 2 of 4 trials failed[\s\S]*hint: .*--max-failures/);
    // … unless --max-failures allows that many (a resume of the finished sweep reruns nothing).
    const allowed = await exp(['sweep', '--resume', out, '--max-failures', '2', '--no-plots']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/2 trials failed \(allowed by --max-failures 2\)/);
    const strict = await exp(['sweep', '--resume', out, '--max-failures', '1', '--no-plots']);
    expect(strict.code).toBe(1);
  }, 180_000);

  it('--fail-fast stops starting trials at the first failure and leaves the rest for --resume', async () => {
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const out = join(dir, 'sweep');
    // Points in order: (0, false), (0, true), (1, false), (1, true); one slot, so the failure comes second.
    const r = await exp([
      'sweep',
      join(dir, 'c.yaml'),
      '--out',
      out,
      'schedule.warmup=0,1',
      'model.crash=false,true',
      'sweep.parameters={}',
      '--parallel',
      '1',
      '--fail-fast',
      '--no-plots',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 trials did not finish \(stopped after too many failures\)[\s\S]*exp sweep --resume/);
    const { header, rows } = csvRows(out);
    expect(rows.map((row) => row[header.indexOf('status')])).toEqual(['completed', 'failed', 'pending', 'pending']);
  }, 120_000);

  it('resumes after kill -9 with the same results and no trial run twice to completion', async () => {
    const dir = tempDir({ 'c.yaml': config, 'crashy.ts': crashy });
    const reference = join(dir, 'reference');
    const ref = await exp(['sweep', join(dir, 'c.yaml'), '--out', reference, '--parallel', '2', '--no-plots']);
    expect(ref.code, ref.stderr).toBe(0);

    const out = join(dir, 'killed');
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
    const status = (id: string) =>
      existsSync(join(out, 'trials', id, 'summary.json'))
        ? readFileSync(join(out, 'trials', id, 'summary.json'), 'utf8')
        : '';
    const completed = () =>
      existsSync(join(out, 'trials'))
        ? readdirSync(join(out, 'trials')).filter((id) => /"status": "completed"/.test(status(id)))
        : [];
    while (completed().length < 2) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = Object.fromEntries(
      completed().map((id) => [id, readFileSync(join(out, 'trials', id, 'summary.json'), 'utf8')]),
    );

    const resumed = await exp(['sweep', '--resume', out, '--parallel', '2', '--no-plots']);
    expect(resumed.code, resumed.stderr).toBe(0);
    // Trials finished before the kill were not run again: their summaries are untouched.
    for (const [id, text] of Object.entries(before))
      expect(readFileSync(join(out, 'trials', id, 'summary.json'), 'utf8')).toBe(text);
    // Same ids, statuses and metric values as the uninterrupted sweep (training is deterministic).
    const a = csvRows(reference);
    const b = csvRows(out);
    const pick = (t: ReturnType<typeof csvRows>) =>
      t.rows
        .map((row) =>
          ['id', 'status', 'val_acc_final', 'val_acc_best', 'epochs'].map((c) => row[t.header.indexOf(c)]).join(','),
        )
        .sort();
    expect(pick(b)).toEqual(pick(a));
  }, 240_000);
});
