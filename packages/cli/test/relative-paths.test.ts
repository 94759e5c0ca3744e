import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exp, tempDir } from './exp.ts';

// 24 points of two separable classes: enough for a csv dataset with a validation split.
const csv = [
  'x,y,label',
  ...Array.from({ length: 24 }, (_, i) => `${(i % 2) * 2 + (i % 5) / 10},${(i % 3) / 10},${i % 2}`),
].join('\n');

const sweepConfig = `name: rel
seed: 1
data: { name: csv, path: ../data/points.csv, validationSplit: 0.25 }
model: { name: mlp, hidden: [4] }
optimizer: { name: sgd, learningRate: 0.1 }
schedule: { name: constant }
train: { epochs: 1, batchSize: 8, backend: cpu }
output: { plots: false, tensorboard: false, saveModel: false }
sweep:
  parameters:
    optimizer.learningRate: [0.1, 0.05]
`;

describe('a relative data path', () => {
  it('is relative to the config file in every trial of a sweep, and best.yaml runs from anywhere as summary.md says', async () => {
    const dir = tempDir({ 'project/configs/sweep.yaml': sweepConfig, 'project/data/points.csv': csv });
    const elsewhere = tempDir();
    const out = join(dir, 'sweep-out');
    // Started from a folder that is neither the config's nor the data's.
    // As `pnpm exp sweep …` sets it up: summary.md's hint must then say `pnpm exp`.
    const sweep = await exp(['sweep', join(dir, 'project/configs/sweep.yaml'), '--out', out, '--parallel', '1'], {
      cwd: elsewhere,
      env: { npm_lifecycle_event: 'exp', npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.20.2 linux x64' },
    });
    expect(sweep.stderr + sweep.stdout).not.toMatch(/ENOENT/);
    expect(sweep.code).toBe(0);
    const rows = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.includes('completed'))).toBe(true);

    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('from this directory: `pnpm exp run best.yaml`');

    // The resolved config names the file absolutely, so it is runnable as it stands.
    const best = parse(readFileSync(join(out, 'best.yaml'), 'utf8'));
    expect(best.data.path).toBe(join(dir, 'project/data/points.csv'));
    const run = await exp(['run', join(out, 'best.yaml'), '--out', join(dir, 'rerun')], { cwd: elsewhere });
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(run.code).toBe(0);
  }, 300_000);
});
