import { describe, expect, it } from 'vitest';
import type { Row } from '../spec.ts';
import { compareRuns, comparisonSeries, differingKeys, flattenConfig, meanBand, metricGoal } from './compare.ts';
import { comparisonTable } from './compare-view.ts';
import type { RunData } from './run-dir.ts';

const run = (name: string, config: Record<string, unknown>, valAcc: number[], seconds = 2): RunData => ({
  dir: `/runs/${name}-${String(config.seed)}`,
  name,
  config: { name, ...config },
  configText: '',
  summary: { status: 'completed', seconds, samplesPerSecond: 1000 / seconds },
  metrics: valAcc.map((v, epoch): Row => ({ epoch, step: (epoch + 1) * 10, lr: 0.1 / (epoch + 1), val_acc: v })),
  lrSteps: null,
});

describe('config differences', () => {
  it('flattens nested keys and keeps lists whole', () => {
    expect(flattenConfig({ a: { b: 1, c: [16, 8] }, d: 'x' })).toEqual({ 'a.b': 1, 'a.c': [16, 8], d: 'x' });
  });

  it('lists only keys whose values differ (a missing key differs), never the name', () => {
    const keys = differingKeys([
      { name: 'a', seed: 1, schedule: { name: 'step', gamma: 0.1 }, model: { hidden: [16] } },
      { name: 'b', seed: 1, schedule: { name: 'cosine' }, model: { hidden: [16] } },
    ]);
    expect(keys.sort()).toEqual(['schedule.gamma', 'schedule.name']);
  });
});

describe('compareRuns', () => {
  const runs = [
    run('cosine', { seed: 1, schedule: { name: 'cosine' } }, [0.5, 0.9, 0.8]),
    run('cosine', { seed: 2, schedule: { name: 'cosine' } }, [0.6, 0.7, 0.95]),
    run('step', { seed: 1, schedule: { name: 'step' } }, [0.4, 0.6, 0.7]),
  ];
  const c = compareRuns(runs);

  it('picks val_acc, higher is better; best and its 1-based epoch, final', () => {
    expect([c.metric, c.goal]).toEqual(['val_acc', 'max']);
    expect(c.runs.map((r) => [r.best, r.final])).toEqual([
      [{ value: 0.9, epoch: 2 }, 0.8],
      [{ value: 0.95, epoch: 3 }, 0.95],
      [{ value: 0.7, epoch: 3 }, 0.7],
    ]);
    expect(metricGoal('val_loss')).toBe('min');
  });

  it('groups repeats (same config but the seed): mean and sample std of the best value', () => {
    expect(c.keys.sort()).toEqual(['schedule.name', 'seed']);
    expect(c.groups.map((g) => [g.label, g.runs.length])).toEqual([
      ['cosine', 2],
      ['step', 1],
    ]);
    const [cosine, step] = c.groups;
    expect(cosine.mean).toBeCloseTo((0.9 + 0.95) / 2, 12);
    // sample std of two values: |a − b| / √2
    expect(cosine.std).toBeCloseTo(Math.abs(0.9 - 0.95) / Math.SQRT2, 12);
    expect([step.mean, step.std]).toEqual([0.7, null]);
    expect(c.runs.map((r) => r.label)).toEqual(['cosine seed=1', 'cosine seed=2', 'step']);
  });

  it('draws a group as mean ± std at each epoch (1-based) and a single run as it is', () => {
    const [cosine, step] = comparisonSeries(c, 'metric', 'epoch');
    expect(cosine.name).toBe('cosine (mean ± std, n=2)');
    const sd = (a: number, b: number) => Math.abs(a - b) / Math.SQRT2;
    expect(cosine.points.map((p) => p.x)).toEqual([1, 2, 3]);
    cosine.points.forEach((p, i) => {
      const [a, b] = [runs[0].metrics[i].val_acc as number, runs[1].metrics[i].val_acc as number];
      expect(p.y).toBeCloseTo((a + b) / 2, 12);
      expect(p.hi! - p.y).toBeCloseTo(sd(a, b), 12);
      expect(p.y - p.lo!).toBeCloseTo(sd(a, b), 12);
    });
    expect(step.points).toEqual([
      { x: 1, y: 0.4 },
      { x: 2, y: 0.6 },
      { x: 3, y: 0.7 },
    ]);
    // On steps, a metric sits at the step count at the end of its epoch…
    expect(comparisonSeries(c, 'metric', 'step')[1].points.map((p) => p.x)).toEqual([10, 20, 30]);
    // …and a rate set per epoch holds from the epoch's first step to its last.
    expect(comparisonSeries(c, 'lr', 'step')[1].points).toEqual([
      { x: 0, y: 0.1 },
      { x: 9, y: 0.1 },
      { x: 10, y: 0.05 },
      { x: 19, y: 0.05 },
      { x: 20, y: 0.1 / 3 },
      { x: 29, y: 0.1 / 3 },
    ]);
  });

  it('gives no band where only one run of a group has a value', () => {
    expect(
      meanBand([
        [{ x: 1, y: 2 }],
        [
          { x: 1, y: 4 },
          { x: 2, y: 5 },
        ],
      ]),
    ).toEqual([
      { x: 1, y: 3, lo: 3 - Math.SQRT2, hi: 3 + Math.SQRT2 },
      { x: 2, y: 5 },
    ]);
  });

  it('tells runs with the same name apart by what differs', () => {
    const same = compareRuns([
      run('trial', { seed: 1, schedule: { warmup: 0 } }, [0.5]),
      run('trial', { seed: 1, schedule: { warmup: 5 } }, [0.6]),
    ]);
    expect(same.runs.map((r) => r.label)).toEqual(['warmup=0', 'warmup=5']);
  });

  it('tabulates differing keys and human-read numbers (4 significant digits)', () => {
    const table = comparisonTable(compareRuns([run('a', { seed: 1 }, [1 / 3], 1 / 3), run('b', { seed: 2 }, [0.5])]));
    expect(table[0]).toEqual([
      'run',
      'seed',
      'status',
      'val_acc best',
      'best epoch',
      'val_acc final',
      'epochs',
      'seconds',
      'samples/s',
    ]);
    expect(table[1]).toEqual(['a', '1', 'completed', '0.3333', '1', '0.3333', '1', '0.333', '3000']);
  });
});
