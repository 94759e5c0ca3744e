import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { svgTexts } from '@anneal/plot';
import { exp, tempDir } from './exp.ts';
import { writeRunDir } from './run-fixtures.ts';

const root = tempDir();
const decay = (t: number) => 0.01 * 0.1 ** Math.floor(t / 3);
for (const seed of [1, 2])
  writeRunDir(join(root, `a-${seed}`), { name: 'a', seed, epochs: 6, stepsPerEpoch: 5, warmup: 1, lr: decay });
writeRunDir(join(root, 'b'), { name: 'b', seed: 1, epochs: 6, stepsPerEpoch: 5, warmup: 3, lr: decay });

describe('exp compare', () => {
  it('prints the differing keys, metrics and repeats, and draws the four panels', async () => {
    const svg = join(root, 'out', 'compare.svg');
    const r = await exp(['compare', join(root, '*'), '--plot', svg]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('3 runs; val_acc (higher is better); config keys that differ: seed, schedule.warmup');
    expect(lines[2].split(/\s{2,}/)).toEqual([
      'run',
      'seed',
      'schedule.warmup',
      'status',
      'val_acc best',
      'best epoch',
      'val_acc final',
      'epochs',
      'seconds',
      'samples/s',
    ]);
    expect(r.stdout).toMatch(/^a seed=1 +1 +1 +completed/m);
    expect(r.stdout).toMatch(/^a +2 +/m);
    const titles = svgTexts(readFileSync(svg, 'utf8'))
      .filter((t) => t.role === 'title-text')
      .map((t) => t.text);
    expect(titles).toEqual(
      expect.arrayContaining([
        'learning rate by epoch',
        'learning rate by step',
        'val_acc by epoch',
        'val_acc by step',
      ]),
    );
  });

  it('says what is wrong with its arguments (exit 2)', async () => {
    const notRun = await exp(['compare', root, join(root, 'b')]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain('is not a run directory');
    const one = await exp(['compare', join(root, 'b')]);
    expect(one.code).toBe(2);
    expect(one.stderr).toContain('needs at least two run directories');
    const metric = await exp(['compare', join(root, 'a-1'), join(root, 'b'), '--metric', 'val_f1']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toMatch(/--metric val_f1: no run has it[\s\S]*val_acc/);
    for (const r of [notRun, one, metric]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
