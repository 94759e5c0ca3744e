import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exp, repoRoot, tempDir } from './exp.ts';

// Issue 7's acceptance: what `exp schedule --json` previews is, step for step, what `exp run`
// applies (lr.csv), for every shipped config and for the variants that size a run differently.

/** Shorten a config so its run takes a few seconds: 3 epochs, a small slice of the data. */
function shortened(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  const mnist = /mnist/.test(text) || /extends: .*mnist/.test(text);
  return [
    // sgdr's three cycles are fixed at 2 + 4 + 6 epochs with warm-ups of 50 and 100 steps: it keeps
    // its 12 epochs, of 30 batches each (below), and a tiny model, so it is still quick.
    file.endsWith('sgdr.yaml') ? 'train.epochs=12' : 'train.epochs=3',
    'train.backend=cpu',
    'output.plots=false',
    'output.tensorboard=false',
    'output.saveModel=false',
    ...(mnist
      ? [`data.trainSize=${file.endsWith('sgdr.yaml') ? 1920 : 320}`, 'data.testSize=64', 'model.hidden=[16]']
      : []),
    // iris warms up for 5 epochs, longer than the shortened run.
    ...(/^name: iris$/m.test(text) ? ['schedule.warmup=1'] : []),
  ];
}

const configs = [
  ...readdirSync(join(repoRoot, 'configs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `configs/${f}`),
  ...readdirSync(join(repoRoot, 'configs/schedules'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => `configs/schedules/${f}`),
];

const cases: Array<[string, string, string[]]> = [
  ...configs.map((c): [string, string, string[]] => [c, c, shortened(c)]),
  // The other unit, and `train.stepsPerEpoch` beside real data (it caps the batches an epoch).
  ['iris, unit: step', 'configs/iris.yaml', [...shortened('configs/iris.yaml'), 'schedule.unit=step']],
  ['iris, stepsPerEpoch 3', 'configs/iris.yaml', [...shortened('configs/iris.yaml'), 'train.stepsPerEpoch=3']],
  [
    'iris, unit: step, stepsPerEpoch 3',
    'configs/iris.yaml',
    [...shortened('configs/iris.yaml'), 'schedule.unit=step', 'train.stepsPerEpoch=3', 'schedule.warmup=1ep'],
  ],
  [
    'mnist, unit: epoch',
    'configs/mnist-cosine-warmup.yaml',
    [...shortened('configs/mnist-cosine-warmup.yaml'), 'schedule.unit=epoch', 'schedule.warmup=1', 'schedule.hold=1'],
  ],
  // The momentum per epoch (cycleMomentum with unit: epoch): lr.csv repeats each epoch's.
  [
    'one-cycle with cycleMomentum, unit: epoch',
    'configs/schedules/one-cycle.yaml',
    [...shortened('configs/schedules/one-cycle.yaml'), 'schedule.unit=epoch'],
  ],
  [
    'mnist, stepsPerEpoch 2',
    'configs/mnist-cosine-warmup.yaml',
    [...shortened('configs/mnist-cosine-warmup.yaml'), 'train.stepsPerEpoch=2'],
  ],
];

const lrCsv = (dir: string) =>
  readFileSync(join(dir, 'lr.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));

describe('exp schedule --json and exp run agree at every step', () => {
  it.each(cases)('%s', { timeout: 240_000 }, async (_label, file, overrides) => {
    const out = join(tempDir(), 'run');
    const [preview, run] = await Promise.all([
      exp(['schedule', file, ...overrides, '--json']),
      exp(['run', file, ...overrides, '--out', out, '--quiet']),
    ]);
    expect(preview.code, preview.stderr).toBe(0);
    expect(run.code, run.stderr).toBe(0);
    const { unit, lr, momentum } = JSON.parse(preview.stdout) as {
      unit: 'step' | 'epoch';
      lr: number[];
      momentum?: number[];
    };
    const applied = lrCsv(out);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(applied.map(([step]) => step)).toEqual([...Array(summary.steps).keys()]);
    if (unit === 'step') expect(applied.map(([, , rate]) => rate)).toEqual(lr);
    else {
      expect(new Set(applied.map(([, epoch]) => epoch)).size).toBe(lr.length);
      for (const [, epoch, rate] of applied) expect(rate).toBe(lr[epoch]);
    }
    // cycleMomentum: lr.csv's fourth column is the momentum set at each step, the preview's.
    const header = readFileSync(join(out, 'lr.csv'), 'utf8').split('\n')[0];
    if (momentum) {
      expect(header).toBe('step,epoch,lr,momentum');
      const set = applied.map(([, epoch, , m]) => [epoch, m]);
      if (unit === 'step') expect(set.map(([, m]) => m)).toEqual(momentum);
      else for (const [epoch, m] of set) expect(m).toBe(momentum[epoch]);
    } else expect(header).toBe('step,epoch,lr');
    const stepsPerEpoch = overrides.find((o) => o.startsWith('train.stepsPerEpoch='))?.split('=')[1];
    if (stepsPerEpoch) expect(summary.steps).toBe(3 * Number(stepsPerEpoch));
  });

  it('with reduceOnPlateau the preview says it is an upper bound, and the run stays under it', async () => {
    const overrides = [
      ...shortened('configs/iris.yaml'),
      'train.epochs=6',
      'schedule.unit=step',
      'schedule.reduceOnPlateau={monitor: loss, factor: 0.5, patience: 0, minDelta: 10}',
    ];
    const out = join(tempDir(), 'run');
    const [json, text, run] = await Promise.all([
      exp(['schedule', 'configs/iris.yaml', ...overrides, '--json']),
      exp(['schedule', 'configs/iris.yaml', ...overrides]),
      exp(['run', 'configs/iris.yaml', ...overrides, '--out', out, '--quiet']),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(text.stdout).toMatch(/upper bound/);
    const { lr, upperBound } = JSON.parse(json.stdout);
    expect(upperBound).toBe(true);
    const applied = lrCsv(out).map(([, , rate]) => rate);
    expect(applied).toHaveLength(lr.length);
    // minDelta 10 means no epoch ever "improves": the rate halves after every epoch.
    applied.forEach((rate, step) => expect(rate).toBeLessThanOrEqual(lr[step]));
    expect(applied.at(-1)).toBeLessThan(lr.at(-1));
  }, 240_000);

  it('refuses train.stepsPerEpoch beyond the batches the data holds (exit 2, before any directory)', async () => {
    const out = join(tempDir(), 'run');
    const r = await exp(['run', 'configs/iris.yaml', 'train.stepsPerEpoch=50', '--out', out]);
    expect(r.code).toBe(2);
    // iris: 150 flowers, 20% held out → 120 in batches of 16 → 8 batches.
    expect(r.stderr).toMatch(/train\.stepsPerEpoch: 50 batches per epoch, but the data holds only 8/);
    expect(existsSync(out)).toBe(false);
  });
});
