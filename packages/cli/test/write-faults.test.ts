import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exp } from './exp.ts';

// Real faults, not mocks: a tiny tmpfs fills up like a full disk, and a tmpfs remounted
// read-only refuses writes even to root (who ignores chmod). Mounting needs root.
const mounts: string[] = [];
function tmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `these tests mount a small tmpfs and need root (or CAP_SYS_ADMIN): ${(error as Error).message}\nhint: run the suite as root, as .ci/run does`,
    );
  }
  mounts.push(dir);
  return dir;
}
const readOnly = (dir: string) => execFileSync('mount', ['-o', 'remount,ro', dir]);
afterAll(() => {
  for (const dir of mounts) execFileSync('umount', [dir]);
});

const walk = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );

describe('writing on a full disk or a read-only directory', () => {
  it('a full disk: the error names the path, the status is not left running, no *.tmp-PID files', async () => {
    const disk = tmpfs('24k');
    const out = join(disk, 'run');
    const r = await exp(['run', 'configs/iris.yaml', 'train.backend=cpu', 'train.epochs=8', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`error: cannot write ${out}\\S*: no space left on the device\\nhint: free space`),
    );
    expect(r.stderr).not.toMatch(/ENOSPC/);
    // Either a summary that says why, or none at all — never one claiming a live run.
    if (existsSync(join(out, 'summary.json')))
      expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).status).toBe('failed');
    expect(walk(out).filter((f) => /\.tmp-\d+$/.test(f))).toEqual([]);
    expect(existsSync(join(out, 'anneal.lock'))).toBe(false);
  }, 120_000);

  it('a read-only directory says so, for a new run, a new sweep and a resumed run', async () => {
    const disk = tmpfs('1m');
    const run = join(disk, 'done');
    const first = await exp([
      'run',
      'configs/iris.yaml',
      'train.backend=cpu',
      'train.epochs=8',
      '--out',
      run,
      '--quiet',
    ]);
    expect(first.code, first.stderr).toBe(0);
    // As a kill -9 leaves it (a completed run is not resumed at all, so it would write nothing).
    const summary = join(run, 'summary.json');
    writeFileSync(summary, JSON.stringify({ ...JSON.parse(readFileSync(summary, 'utf8')), status: 'running' }));
    readOnly(disk);
    const cases = [
      ['run', 'configs/iris.yaml', 'train.backend=cpu', '--out', join(disk, 'new')],
      ['sweep', 'configs/iris.yaml', 'schedule.warmup=0,1', '--out', join(disk, 'sweep')],
      ['run', '--resume', run],
    ];
    for (const args of cases) {
      const r = await exp(args);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`error: cannot write to ${disk}\\S* \\(read-only\\)`));
      expect(r.stderr).not.toMatch(/ENOENT|EROFS/);
    }
  }, 180_000);
});
