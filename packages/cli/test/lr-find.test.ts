import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnealError, loadExperiment } from '@anneal/core';
import { appliedPath, lrFind } from '../src/commands/lr-find.ts';
import type { Reporter } from '../src/reporter.ts';
import { builtinRegistry, createRoot } from '../src/root.ts';
import { exp, tempDir } from './exp.ts';

// 192 training examples, 12 batches of 16: a 60-step test takes about a second on cpu.
const tiny = `# A tiny range test: Gaussian blobs and a small MLP.
name: tiny
seed: 3
data:
  name: synthetic
  kind: blobs
  samples: 240
  noise: 0.3
model: { name: mlp, hidden: [16] }
# The rate below is a guess; --apply replaces it.
optimizer:
  name: sgd
  learningRate: 0.01
train:
  epochs: 3
  batchSize: 16
  backend: cpu
`;

function capture(): Reporter & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    tty: false,
    stdout,
    stderr,
    out: (t) => void stdout.push(t),
    info: (t) => void stderr.push(t),
    warn: (i) => void stderr.push(typeof i === 'string' ? i : i.message),
  };
}

describe('exp lr-find (end to end)', () => {
  it('prints a suggestion, draws the plot and writes the applied copy with the comments kept', async () => {
    const dir = tempDir({ 'c.yaml': tiny });
    const r = await exp(
      ['lr-find', 'c.yaml', '--steps', '60', '--min', '1e-5', '--max', '10', '--plot', 'lr.svg', '--apply'],
      { cwd: dir },
    );
    expect(r.code, r.stderr).toBe(0);
    const suggested = Number(r.stdout.match(/suggested learning rate: (\S+)/)?.[1]);
    expect(suggested).toBeGreaterThan(1e-5);
    expect(suggested).toBeLessThan(10);
    expect(readFileSync(join(dir, 'lr.svg'), 'utf8')).toMatch(/^<svg/);

    const copy = join(dir, 'c.lr-found.yaml');
    const text = readFileSync(copy, 'utf8');
    for (const line of tiny.split('\n').filter((l) => l.startsWith('#'))) expect(text).toContain(line);
    const loaded = await loadExperiment(copy, [], builtinRegistry());
    expect(loaded.errors).toEqual([]);
    expect(loaded.config?.optimizer).toEqual({ name: 'sgd', learningRate: suggested });
  });
});

describe('lrFind command (in process)', () => {
  it('--json prints the result; --apply FILE creates the optimizer section an `extends` chain lacks, with the overrides', async () => {
    const dir = tempDir({
      'base.yaml': tiny,
      'child.yaml': '# child: only the seed differs\nextends: ./base.yaml\nseed: 4\n',
    });
    const reporter = capture();
    const container = createRoot({ reporter });
    const out = join(dir, 'found.yaml');
    const code = await lrFind(container, join(dir, 'child.yaml'), ['train.batchSize=32'], {
      steps: 40,
      min: 1e-4,
      max: 10,
      json: true,
      apply: out,
    });
    expect(code, reporter.stderr.join('\n')).toBe('ok');
    const result = JSON.parse(reporter.stdout.join(''));
    expect(result.lr).toHaveLength(result.loss.length);
    expect(result.lr[0]).toBe(1e-4);
    expect(result.suggestion).toBeGreaterThan(1e-4);

    const text = readFileSync(join(dir, 'found.yaml'), 'utf8');
    expect(text).toContain('# child: only the seed differs');
    expect(text).toContain('extends: ./base.yaml');
    const loaded = await loadExperiment(join(dir, 'found.yaml'), [], builtinRegistry());
    expect(loaded.errors).toEqual([]);
    expect(loaded.config).toMatchObject({
      seed: 4,
      train: { batchSize: 32 },
      optimizer: { name: 'sgd', learningRate: Number(result.suggestion.toPrecision(2)) },
    });
  });

  it('says so, with a hint, when the range is too narrow for a suggestion (exit 1, nothing applied)', async () => {
    const dir = tempDir({ 'c.yaml': tiny });
    const reporter = capture();
    const code = await lrFind(createRoot({ reporter }), join(dir, 'c.yaml'), [], {
      steps: 10,
      min: 1e-6,
      max: 2e-6,
      apply: true,
    });
    expect(code).toBe('failed');
    expect(reporter.stderr.join('\n')).toMatch(/no suggestion[\s\S]*hint: widen the range/);
    expect(existsSync(join(dir, 'c.lr-found.yaml'))).toBe(false);
  });

  it.each([
    [{ min: 0 }, /--min must be > 0/],
    [{ min: 1, max: 0.5 }, /--max must be greater than --min/],
    [{ steps: 5 }, /--steps must be a whole number ≥ 10/],
    [{ max: 'lots' }, /--max must be a number/],
    [{ plot: 'lr.pdf' }, /unsupported extension/],
  ])('rejects %o before loading anything', async (options, message) => {
    const error = await lrFind(createRoot({ reporter: capture() }), 'does-not-exist.yaml', [], options).catch((e) => e);
    expect(error).toBeInstanceOf(AnnealError);
    expect(error.code).toBe('USAGE');
    expect(error.message).toMatch(message);
  });

  it('writes the copy beside the config unless given a path', () => {
    expect(appliedPath('/a/b/exp.yaml', true)).toBe('/a/b/exp.lr-found.yaml');
    expect(appliedPath('/a/b/exp.yml', 'x.yaml')).toBe(join(process.cwd(), 'x.yaml'));
  });
});
