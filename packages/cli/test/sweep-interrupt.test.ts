import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from './exp.ts';

// Two long trials (iris would take hours at 100,000 epochs): only an interrupt ends them.
const long = `name: long
seed: 1
data: { name: iris, validationSplit: 0.2 }
model: { name: mlp, hidden: [4] }
optimizer: { name: adam, learningRate: 0.01 }
schedule: { name: constant }
train: { epochs: 100000, batchSize: 16, backend: cpu }
output: { plots: false, tensorboard: false, saveModel: false }
sweep:
  parameters:
    optimizer.learningRate: [0.01, 0.02]
`;

// A model that never finishes building: its trial cannot stop after a batch, there is none.
const stuck = `import { definePlugin } from '@anneal/core';
export default definePlugin({
  kind: 'model', name: 'stuck', description: 'never builds',
  schema: { type: 'object', properties: {} },
  create() { return new Promise(() => { setInterval(() => {}, 1000); }); },
});
`;

function sweep(config: string, out: string) {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'packages/cli/bin/exp.js'), 'sweep', config, '--out', out, '--parallel', '2', '--no-plots'],
    { cwd: repoRoot, env: { ...process.env, CI: '1' } },
  );
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exit = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  return { child, exit, stderr: () => stderr };
}

const until = async (test: () => boolean) => {
  while (!test()) await new Promise((r) => setTimeout(r, 100));
};
const epochsOf = (out: string, id: string) => {
  const file = join(out, 'trials', id, 'metrics.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
};
const trials = (out: string) => (existsSync(join(out, 'trials')) ? readdirSync(join(out, 'trials')) : []);
const workersOf = (child: ChildProcess) => {
  try {
    return execFileSync('pgrep', ['-P', String(child.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
  } catch {
    return [];
  }
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('interrupting exp sweep', () => {
  it('a SIGINT to the sweep alone (kill -INT, not the terminal group) stops its running trials after their batch', async () => {
    const dir = tempDir({ 'c.yaml': long });
    const out = join(dir, 'sweep');
    const s = sweep(join(dir, 'c.yaml'), out);
    await until(() => trials(out).length === 2 && trials(out).every((id) => epochsOf(out, id) >= 2));
    s.child.kill('SIGINT');
    expect(await s.exit, s.stderr()).toBe(130);
    expect(s.stderr()).toMatch(/trials did not finish; continue with: .*sweep --resume/);
    for (const id of trials(out))
      expect(JSON.parse(readFileSync(join(out, 'trials', id, 'summary.json'), 'utf8')).status).toBe('interrupted');
  }, 300_000);

  it('a second Ctrl-C leaves at once, taking the worker processes with it, when trials cannot stop', async () => {
    const dir = tempDir({
      'c.yaml': long
        .replace('{ name: mlp, hidden: [4] }', '{ name: stuck }')
        .replace('seed: 1', 'seed: 1\nplugins: [./stuck.ts]'),
      'stuck.ts': stuck,
    });
    const out = join(dir, 'sweep');
    const s = sweep(join(dir, 'c.yaml'), out);
    // Both trials have started (their run directories exist) and are stuck building the model.
    await until(
      () =>
        trials(out).filter((id) => existsSync(join(out, 'trials', id, 'config.yaml'))).length === 2 &&
        workersOf(s.child).length === 2,
    );
    const workers = workersOf(s.child);
    s.child.kill('SIGINT');
    await until(() => /Ctrl-C again to quit at once/.test(s.stderr()));
    expect(s.child.exitCode).toBe(null);
    s.child.kill('SIGINT');
    expect(await s.exit, s.stderr()).toBe(130);
    await until(() => workers.every((pid) => !alive(pid)));
  }, 300_000);
});
