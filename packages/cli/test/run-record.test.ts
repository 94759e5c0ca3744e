import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

// What a run directory records (provenance, the backend and why) and what `--resume` on a
// finished run does (nothing).

const short = ['train.epochs=3', 'schedule.warmup=1', 'train.backend=cpu', 'output.plots=false'];

/** Every file under `dir` with its bytes and modification time. */
function snapshot(dir: string): Record<string, { bytes: string; mtime: number }> {
  const out: Record<string, { bytes: string; mtime: number }> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = { bytes: readFileSync(p).toString('base64'), mtime: statSync(p).mtimeMs };
    }
  };
  walk(dir);
  return out;
}

describe('exp run records', () => {
  it('--resume on a completed run leaves every file untouched, says so, and exits 0', async () => {
    const out = join(tempDir(), 'run');
    const first = await exp(['run', 'configs/iris.yaml', ...short, '--out', out, '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);
    const again = await exp(['run', '--resume', out]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/is already complete \(3\/3 epochs\); nothing to resume/);
    expect(again.stderr).not.toMatch(/resum(e|ing) +from|epoch 1\/3/);
    expect(snapshot(out)).toEqual(before);
  }, 120_000);

  it('summary.json: command line, overrides, versions, backend, host and the git commit of the config', async () => {
    const out = join(tempDir(), 'run');
    const r = await exp(['run', 'configs/iris.yaml', ...short, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
    expect(summary.provenance).toEqual({
      command: [
        join(repoRoot, 'packages/cli/bin/exp.js'),
        'run',
        'configs/iris.yaml',
        ...short,
        '--out',
        out,
        '--quiet',
      ],
      configFile: join(repoRoot, 'configs/iris.yaml'),
      overrides: short,
      host: hostname(),
      git: {
        commit: git('rev-parse', 'HEAD'),
        dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
      },
    });
    expect(summary.versions).toEqual({
      anneal: JSON.parse(readFileSync(join(repoRoot, 'packages/trainer/package.json'), 'utf8')).version,
      tfjs: JSON.parse(
        readFileSync(join(repoRoot, 'packages/trainer/node_modules/@tensorflow/tfjs/package.json'), 'utf8'),
      ).version,
      node: process.versions.node,
    });
    expect(summary).toMatchObject({ backend: 'cpu', backendReason: 'requested: cpu' });
  }, 120_000);

  it('leaves git out of the provenance when the config is not in a repository', async () => {
    const dir = tempDir();
    copyFileSync(join(repoRoot, 'configs/iris.yaml'), join(dir, 'iris.yaml'));
    const out = join(dir, 'run');
    const r = await exp(['run', join(dir, 'iris.yaml'), ...short, '--out', out, '--quiet'], {
      env: { GIT_CEILING_DIRECTORIES: dir.split('/').slice(0, -1).join('/') || '/' },
    });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.provenance.configFile).toBe(join(dir, 'iris.yaml'));
    expect(summary.provenance).not.toHaveProperty('git');
  }, 120_000);

  it('says which backend in one plain line, the loader error kept in summary.json', async () => {
    const out = join(tempDir(), 'run');
    const r = await exp([
      'run',
      'configs/iris.yaml',
      'train.epochs=2',
      'schedule.warmup=1',
      'train.backend=auto',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /^backend {2}tfjs-node not installed; using wasm \((no )?SIMD, (1 thread|multi-threaded)\)$/m,
    );
    expect(r.stderr).not.toMatch(/Cannot find|imported from/);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.backendReason).toMatch(
      /^auto: tfjs-node not installed \(Cannot find (package|module) '@tensorflow\/tfjs-node'/,
    );
  }, 120_000);
});
