import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kerasCosineDecay } from '@anneal/schedule-cosine-warmup/reference';
import { readEvents } from '@anneal/trainer';

// docs/api.md's examples, as a user runs them: each file in its own process, in an empty
// working directory (through tsx here; scripts/pack-test.mjs runs them against the tarballs).
const root = join(import.meta.dirname, '../..');
const runTs = join(root, 'packages/cli/bin/run-ts.js');
const example = (name: string) => join(import.meta.dirname, `${name}.ts`);

async function run(name: string): Promise<{ cwd: string; stdout: string }> {
  const cwd = mkdtempSync(join(tmpdir(), `anneal-api-${name}-`));
  const { stdout } = await promisify(execFile)(process.execPath, [runTs, example(name)], {
    cwd,
    env: { ...process.env, CI: '1' },
  });
  return { cwd, stdout };
}

describe('docs/api.md examples', () => {
  it('shows every example file exactly as it is', () => {
    const doc = readFileSync(join(root, 'docs/api.md'), 'utf8');
    for (const name of ['callback', 'schedule', 'run', 'sweep']) {
      const text = readFileSync(example(name), 'utf8');
      expect(doc).toContain(`<!-- examples/api/${name}.ts -->\n\`\`\`ts\n${text}\`\`\``);
    }
  });

  it('schedule.ts prints the cosine warm-up of Keras CosineDecay', async () => {
    const { stdout } = await run('schedule');
    const printed = stdout.split('\n')[0].split(' ').map(Number);
    // warm-up 0 → 0.01 over 100 steps, then cosine to 1e-5 at 1000 (alpha = 1e-5 / 0.01).
    const expected = [0, 50, 100, 1000].map((t) => kerasCosineDecay(0, 900, 1e-3, 0.01, 100, t));
    printed.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('callback.ts trains with the schedule and logs every step to TensorBoard', async () => {
    const { cwd, stdout } = await run('callback');
    expect(stdout).toMatch(/lr by epoch/);
    const dir = join(cwd, 'logs/callback');
    const [file] = readdirSync(dir);
    const steps = readEvents(join(dir, file))
      .flatMap((e) => e.scalars.map((s) => ({ ...s, step: e.step })))
      .filter((s) => s.tag === 'learning_rate');
    // 20 epochs × 4 steps; warm-up 8 steps to 0.1, cosine to 1e-3 (alpha 0.01) at step 80.
    expect(steps.map((s) => s.step)).toEqual([...Array(80).keys()]);
    for (const s of steps) expect(s.value).toBeCloseTo(Math.fround(kerasCosineDecay(0, 72, 0.01, 0.1, 8, s.step)), 7);
  });

  it('run.ts trains the typed config with its override and writes the run directory', async () => {
    const { cwd, stdout } = await run('run');
    const [stamp] = readdirSync(join(cwd, 'runs/iris-api'));
    const summary = JSON.parse(readFileSync(join(cwd, 'runs/iris-api', stamp, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('completed');
    expect(summary.epochs).toBe(6);
    expect(stdout).toContain(`completed ${join(cwd, 'runs/iris-api', stamp)}`);
  });

  it('sweep.ts runs both trials in workers and ranks them', async () => {
    const { cwd, stdout } = await run('sweep');
    const csv = readFileSync(join(cwd, 'runs/iris-sweep-api/results.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv.slice(1).every((row) => row.includes('completed'))).toBe(true);
    expect(stdout.split('\n')[0]).toBe(`0 ${join(cwd, 'runs/iris-sweep-api')}`);
  });
});
