import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

const epochs = (dir: string) =>
  existsSync(join(dir, 'metrics.jsonl'))
    ? readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).epoch as number)
    : [];

/** `exp run …` in the background, with its stderr collected. */
function background(args: string[]) {
  const child = spawn(process.execPath, [join(repoRoot, 'packages/cli/bin/exp.js'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, CI: '1' },
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exit = new Promise<number>((r) => child.once('exit', (code) => r(code ?? -1)));
  return { child, exit, stderr: () => stderr };
}

const until = async (test: () => boolean) => {
  while (!test()) await new Promise((r) => setTimeout(r, 50));
};

describe('one process per run directory', () => {
  it('a second `exp run --resume D` while one runs is refused (exit 2) and metrics.jsonl is not interleaved', async () => {
    const out = join(tempDir(), 'run');
    const first = background(['run', 'configs/iris.yaml', 'train.backend=cpu', 'train.epochs=100000', '--out', out]);
    await until(() => epochs(out).length >= 3);
    first.child.kill('SIGINT');
    expect(await first.exit, first.stderr()).toBe(130);

    const a = background(['run', '--resume', out, '--quiet']);
    const resumedFrom = epochs(out).length;
    await until(() => epochs(out).length >= resumedFrom + 3);
    const b = await exp(['run', '--resume', out, '--quiet']);
    a.child.kill('SIGINT');
    expect(await a.exit, a.stderr()).toBe(130);

    expect(b.code, b.stderr).toBe(2);
    expect(b.stderr).toMatch(new RegExp(`in use by exp run --resume .* \\(pid ${a.child.pid} on ${hostname()}`));
    expect(b.stderr).toMatch(/hint: wait for it to finish or stop it/);
    expect(b.stderr).not.toMatch(/at .*\.ts:\d+/);
    const seen = epochs(out);
    expect(seen).toEqual([...seen.keys()]);
    // The interrupted owner released its lock on the way out.
    expect(existsSync(join(out, 'anneal.lock'))).toBe(false);
  }, 180_000);

  it('takes over the lock a killed process left behind', async () => {
    const out = join(tempDir(), 'run');
    const r = await exp(['run', 'configs/iris.yaml', 'train.backend=cpu', 'train.epochs=8', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    // As a kill -9 leaves it: status still `running` (a completed run is not resumed at all).
    const summary = join(out, 'summary.json');
    writeFileSync(summary, JSON.stringify({ ...JSON.parse(readFileSync(summary, 'utf8')), status: 'running' }));
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeFileSync(
      join(out, 'anneal.lock'),
      JSON.stringify({
        host: hostname(),
        pid: dead,
        startTime: '1',
        heartbeat: new Date().toISOString(),
        command: 'x',
      }),
    );
    const resumed = await exp(['run', '--resume', out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(existsSync(join(out, 'anneal.lock'))).toBe(false);
  }, 120_000);
});
