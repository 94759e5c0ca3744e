import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

// Issue 7 item 2: a run stopped in one process and resumed in another (`exp run --resume DIR`)
// writes the metrics an uninterrupted run writes, on wasm and with dropout (whose per-batch
// masks are a random stream that must continue where it stopped, not restart).

const config = 'configs/mnist-cosine-warmup.yaml'; // mlp with dropout 0.2, per-step cosine warm-up
const epochs = 4;
const overrides = [
  'train.backend=wasm',
  `train.epochs=${epochs}`,
  'data.trainSize=2000',
  'data.testSize=200',
  'model.hidden=[64]',
  'output.plots=false',
  'output.tensorboard=false',
  'output.saveModel=false',
];

const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : []);
/** metrics.jsonl without the wall-clock column. */
const metrics = (dir: string) =>
  lines(join(dir, 'metrics.jsonl')).map((l) => {
    const { seconds: _, ...row } = JSON.parse(l);
    return row;
  });

async function until(test: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** `exp run` in its own process; resolves with its exit code (or signal) once `stop` has been sent. */
function startRun(out: string) {
  const child = spawn(
    process.execPath,
    [join(repoRoot, 'packages/cli/bin/exp.js'), 'run', config, ...overrides, '--out', out],
    {
      cwd: repoRoot,
      env: { ...process.env, CI: '1' },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once('exit', (code, signal) => r({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

describe('exp run --resume in a new process (wasm, dropout)', () => {
  const whole = join(tempDir(), 'whole');
  const uninterrupted = exp(['run', config, ...overrides, '--out', whole, '--quiet']);

  it('after Ctrl-C: the same metrics.jsonl as the uninterrupted run, epochs counted from 1 in every message', async () => {
    const out = join(tempDir(), 'sigint');
    const run = startRun(out);
    await until(() => lines(join(out, 'metrics.jsonl')).length >= 1, 'the first epoch');
    run.child.kill('SIGINT');
    const { code } = await run.exited;
    expect(code, run.stderr()).toBe(130);
    const stopped = /run interrupted \(interrupted (during|after) epoch (\d+)\/4/.exec(run.stderr());
    expect(stopped, run.stderr()).not.toBeNull();

    const resumed = await exp(['run', '--resume', out]);
    expect(resumed.code, resumed.stderr).toBe(0);
    const done = metrics(out).length;
    const at = /from checkpoints\/last, after epoch (\d+)\/4; next: epoch (\d+)\/4/.exec(resumed.stderr);
    expect(at, resumed.stderr).not.toBeNull();
    const [after, next] = [Number(at![1]), Number(at![2])];
    expect(next).toBe(after + 1);
    // Interrupted during epoch k+1 (or right after epoch k) resumes after epoch k; the first
    // progress line of the new process is then epoch k+1.
    expect(Number(stopped![2])).toBe(stopped![1] === 'during' ? next : after);
    expect(resumed.stderr).toMatch(new RegExp(`\\nepoch ${next}/4 `));
    expect(done).toBe(epochs);

    const reference = await uninterrupted;
    expect(reference.code, reference.stderr).toBe(0);
    expect(metrics(out)).toEqual(metrics(whole));
    expect(readFileSync(join(out, 'lr.csv'), 'utf8')).toBe(readFileSync(join(whole, 'lr.csv'), 'utf8'));
  }, 400_000);

  it('after SIGKILL: resumes from the last checkpoint to the same metrics.jsonl', async () => {
    const out = join(tempDir(), 'sigkill');
    const run = startRun(out);
    await until(
      () => existsSync(join(out, 'checkpoints/last/manifest.json')) && lines(join(out, 'metrics.jsonl')).length >= 1,
      'the first checkpoint',
    );
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    // Killed outright: nothing recorded an end, so nothing mistakes it for a result.
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).status).toBe('running');

    const resumed = await exp(['run', '--resume', out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const reference = await uninterrupted;
    expect(reference.code, reference.stderr).toBe(0);
    expect(metrics(out)).toEqual(metrics(whole));
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({
      status: 'completed',
      epochs,
      final: metrics(whole).at(-1),
    });
  }, 400_000);
});
