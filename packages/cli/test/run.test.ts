import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('exp run', () => {
  it('trains configs/iris.yaml and writes the run directory; --json prints the summary', async () => {
    const out = join(tempDir(), 'iris');
    const r = await exp(['run', 'configs/iris.yaml', '--out', out, '--json', 'train.backend=cpu']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ status: 'completed', name: 'iris', epochs: 60, backend: 'cpu' });
    // Iris is easy: a small MLP separates the held-out flowers well.
    expect(summary.final.val_acc).toBeGreaterThan(0.85);
    for (const f of ['config.yaml', 'metrics.csv', 'model/model.json', 'plots/lr.svg', 'plots/metrics.svg'])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(readdirSync(out).some((f) => f.startsWith('events.out.tfevents'))).toBe(true);
    expect(readFileSync(join(out, 'config.yaml'), 'utf8')).toMatch(/overrides: train\.backend=cpu/);
  });

  it('records exactly the rates that `exp schedule --json` prints', async () => {
    const out = join(tempDir(), 'iris');
    const args = [
      'configs/iris.yaml',
      'train.backend=cpu',
      'train.epochs=12',
      'schedule.unit=step',
      'schedule.warmup=1ep',
    ];
    const [run, curve] = await Promise.all([
      exp(['run', ...args, '--out', out, '--quiet']),
      exp(['schedule', ...args, '--json']),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const { unit, lr } = JSON.parse(curve.stdout);
    expect(unit).toBe('step');
    const trace = readFileSync(join(out, 'lr.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[2]));
    expect(trace).toEqual(lr);
    const rows = jsonl(join(out, 'metrics.jsonl'));
    expect(rows.map((r) => r.lr)).toEqual(rows.map((r) => lr[r.step - 1]));
  });

  it('a run whose weights turn NaN while the loss stays finite is `diverged`, exit 1 (SGD at 1e20 on iris)', async () => {
    // tfjs clips the predicted probabilities, so the cross-entropy of NaN weights stays a finite
    // 16.1181 (-ln 1e-7); only the weights show it.
    const out = join(tempDir(), 'run');
    const r = await exp([
      'run',
      'configs/iris.yaml',
      'optimizer.name=sgd',
      'optimizer.learningRate=1e20',
      'schedule.name=constant',
      'train.backend=wasm', // cpu's loss turns NaN at once; wasm's stays finite
      'train.epochs=8',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/run diverged: the weights of layer `[^`]+` became NaN or infinite in epoch 1\/8/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('diverged');
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(true);
  });

  it('a config without data leaves no run directory and exits 2', async () => {
    const dir = tempDir({
      'c.yaml': 'name: nodata\noptimizer: { name: sgd, learningRate: 0.1 }\ntrain: { epochs: 2 }\n',
    });
    const r = await exp(['run', join(dir, 'c.yaml'), '--out', join(dir, 'run')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs a `data:` section[\s\S]*hint/);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it('Ctrl-C finishes the batch, marks the run interrupted, and --resume completes it', async () => {
    const out = join(tempDir(), 'run');
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'packages/cli/bin/exp.js'),
        'run',
        'configs/iris.yaml',
        'train.backend=cpu',
        'train.epochs=400',
        '--out',
        out,
      ],
      { cwd: repoRoot, env: { ...process.env, CI: '1' } },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    while (
      !existsSync(join(out, 'metrics.jsonl')) ||
      readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n').length < 4
    )
      await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/exp run --resume/);
    const interrupted = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(interrupted.status).toBe('interrupted');
    const resumed = await exp(['run', '--resume', out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const rows = jsonl(join(out, 'metrics.jsonl'));
    expect(rows.map((r) => r.epoch)).toEqual([...Array(400).keys()]);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).status).toBe('completed');
  }, 120_000);
});
