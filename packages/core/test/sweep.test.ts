import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evalConstraint,
  expandSweep,
  parseSweepValue,
  planSweep,
  sampleParameter,
  splitSweepArgs,
  trialId,
} from '../src/index.ts';
import { tempFiles, testRegistry } from './fixtures.ts';

describe('sweep values on the command line', () => {
  it('reads lists, YAML values inside them, and ranges', () => {
    expect(parseSweepValue('0,2,5,10')).toEqual([0, 2, 5, 10]);
    expect(parseSweepValue('0,1e-6,1e-4')).toEqual([0, 1e-6, 1e-4]);
    expect(parseSweepValue('[64],[128,64]')).toEqual([[64], [128, 64]]);
    expect(parseSweepValue('adam,sgd')).toEqual(['adam', 'sgd']);
    expect(parseSweepValue('range(1e-4,1e-2,log)')).toEqual({ min: 1e-4, max: 1e-2, log: true, int: false });
    expect(parseSweepValue('range(1, 10, int)')).toEqual({ min: 1, max: 10, log: false, int: true });
    expect(parseSweepValue('5')).toBeUndefined();
    expect(parseSweepValue('[1,2]')).toBeUndefined();
    expect(() => parseSweepValue('range(5,1)')).toThrow(/min < max/);
  });

  it('separates swept keys from plain overrides', () => {
    expect(splitSweepArgs(['a.b=1,2', 'c=3', '~d', 'e=range(1,2)'])).toEqual({
      overrides: ['c=3', '~d'],
      parameters: { 'a.b': [1, 2], e: { min: 1, max: 2, log: false, int: false } },
    });
  });
});

describe('expanding a sweep', () => {
  it('takes the product of a grid, first key slowest', () => {
    const points = expandSweep(
      { method: 'grid', parameters: { a: [1, 2], b: ['x', 'y', 'z'] }, zip: [], trials: 0 },
      0,
    );
    expect(points).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
  });

  it('varies zipped keys together', () => {
    const points = expandSweep(
      { method: 'grid', parameters: { w: [0, 2, 5], h: [0, 1, 2], e: [0, 1] }, zip: [['w', 'h']], trials: 0 },
      0,
    );
    expect(points).toHaveLength(6);
    for (const p of points)
      expect([
        [0, 0],
        [2, 1],
        [5, 2],
      ]).toContainEqual([p.w, p.h]);
    expect(() =>
      expandSweep({ method: 'grid', parameters: { w: [0, 2], h: [0] }, zip: [['w', 'h']], trials: 0 }, 0),
    ).toThrow(/equally long/);
  });

  it('samples random points reproducibly, within ranges, log-uniformly', () => {
    const sweep = {
      method: 'random' as const,
      parameters: { lr: { min: 1e-4, max: 1e-2, log: true, int: false }, w: [0, 5] },
      zip: [],
      trials: 400,
    };
    const a = expandSweep(sweep, 7);
    expect(expandSweep(sweep, 7)).toEqual(a);
    expect(expandSweep(sweep, 8)).not.toEqual(a);
    const lrs = a.map((p) => p.lr as number);
    expect(Math.min(...lrs)).toBeGreaterThanOrEqual(1e-4);
    expect(Math.max(...lrs)).toBeLessThanOrEqual(1e-2);
    // Log-uniform: about half the samples fall below the geometric midpoint 1e-3.
    const below = lrs.filter((x) => x < 1e-3).length / lrs.length;
    expect(below).toBeGreaterThan(0.4);
    expect(below).toBeLessThan(0.6);
    expect(new Set(a.map((p) => p.w))).toEqual(new Set([0, 5]));
  });

  it('refuses a range in a grid', () => {
    expect(() =>
      expandSweep(
        { method: 'grid', parameters: { lr: { min: 1, max: 2, log: false, int: false } }, zip: [], trials: 1 },
        0,
      ),
    ).toThrow(/random/);
  });
});

describe('constraints', () => {
  const config = { schedule: { warmup: 5, hold: 2 }, train: { epochs: 6 } };
  it('compares sums of keys and numbers', () => {
    expect(evalConstraint('schedule.warmup >= train.epochs', config)).toBe(false);
    expect(evalConstraint('schedule.warmup + schedule.hold >= train.epochs', config)).toBe(true);
    expect(evalConstraint('schedule.warmup - 1 == 4', config)).toBe(true);
    expect(evalConstraint('schedule.hold < 1e-5', config)).toBe(false);
    expect(() => evalConstraint('schedule.nope > 1', config)).toThrow(/not set/);
  });
});

describe('planning a sweep', () => {
  const base = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule: { name: ramp, warmup: 2 }
train: { epochs: 10 }
sweep:
  parameters:
    schedule.warmup: [0, 4, 12]
    schedule.epsilon: [0, 0.001]
  exclude: ["schedule.warmup + 1 >= 5"]
  repeats: 2
`;

  it('validates every point, drops invalid and excluded ones with the reason, and gives stable ids', async () => {
    const dir = tempFiles({ 'exp.yaml': base });
    const plan = await planSweep(join(dir, 'exp.yaml'), [], testRegistry());
    expect(plan.keys).toEqual(['schedule.warmup', 'schedule.epsilon']);
    // warmup 12 ≥ 10 epochs is invalid (2 eps × 2 repeats); warmup 4 is excluded (2 × 2); warmup 0 runs (2 × 2).
    expect(plan.trials).toHaveLength(4);
    expect(plan.dropped.filter((d) => /must be shorter/.test(d.reason))).toHaveLength(4);
    expect(plan.dropped.filter((d) => /excluded by/.test(d.reason))).toHaveLength(4);
    expect(plan.trials.map((t) => t.config.seed).sort()).toEqual([0, 0, 1, 1]);
    expect(plan.trials.every((t) => t.config.sweep === undefined)).toBe(true);
    const again = await planSweep(join(dir, 'exp.yaml'), [], testRegistry());
    expect(again.trials.map((t) => t.id)).toEqual(plan.trials.map((t) => t.id));
    expect(new Set(plan.trials.map((t) => t.id)).size).toBe(4);
    expect(plan.trials[0].id).toBe(trialId(plan.trials[0].config));
  });

  it('takes swept keys from the command line and switches to random for a range', async () => {
    const dir = tempFiles({ 'exp.yaml': base.replace(/sweep:[\s\S]*/, '') });
    const plan = await planSweep(
      join(dir, 'exp.yaml'),
      ['schedule.warmup=0,1', 'optimizer.learningRate=range(1e-4,1e-2,log)', 'sweep.trials=5'],
      testRegistry(),
    );
    expect(plan.sweep.method).toBe('random');
    expect(plan.trials).toHaveLength(5);
    expect(plan.notes[0]).toMatch(/random search/);
  });
});

describe('a tpe sweep plan', () => {
  const base = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule: { name: ramp, warmup: 2 }
train: { epochs: 10 }
sweep:
  method: tpe
  trials: 6
  parameters:
    schedule.warmup: { min: 0, max: 20, int: true }
  exclude: ["schedule.warmup >= 8"]
`;

  it('plans no trial up front; trialAt makes one from any point, or says why it cannot run', async () => {
    const plan = await planSweep(join(tempFiles({ 'exp.yaml': base }), 'exp.yaml'), [], testRegistry());
    expect(plan.trials).toEqual([]);
    expect(plan.notes.join('\n')).toMatch(/6 trials proposed one by one .* the first 6 at random/);
    expect(plan.base.config.sweep?.trials).toBe(6);
    const trial = plan.trialAt({ 'schedule.warmup': 3 }, 0);
    expect('id' in trial && trial.config.schedule.warmup).toBe(3);
    expect('id' in trial && trial.id).toBe(trialId((trial as { config: unknown }).config));
    expect(plan.trialAt({ 'schedule.warmup': 12 }, 0)).toMatchObject({ reason: /must be shorter/ });
    expect(plan.trialAt({ 'schedule.warmup': 9 }, 0)).toMatchObject({ reason: /excluded by/ });
  });

  it('seeds a random search with sweep.seed when given', async () => {
    const random = base.replace('method: tpe', 'method: random').replace(/ {2}exclude.*\n/, '');
    const file = (extra: string) => join(tempFiles({ 'exp.yaml': random + extra }), 'exp.yaml');
    const points = async (extra: string) =>
      (await planSweep(file(extra), [], testRegistry())).trials.map((t) => t.point['schedule.warmup']);
    expect(await points('  seed: 0\n')).toEqual(await points(''));
    expect(await points('  seed: 99\n')).not.toEqual(await points(''));
  });
});

describe('bounded sweeps', () => {
  const base = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule: { name: ramp, warmup: 2 }
train: { epochs: 10 }
`;
  const plan = (args: string[]) =>
    planSweep(join(tempFiles({ 'exp.yaml': base }), 'exp.yaml'), args, testRegistry()).catch((e) => e);

  it('refuses infinite repeats or trials at their key, without spinning', async () => {
    for (const arg of ['sweep.repeats=.inf', 'sweep.trials=.inf']) {
      const e = await plan(['schedule.warmup=0,1', arg]);
      expect(e.code, arg).toBe('CONFIG_INVALID');
      expect(e.issues[0].path).toBe(arg.slice(0, arg.indexOf('=')));
    }
  });

  it('refuses a sweep larger than the limit before building it', async () => {
    const values = Array.from({ length: 200 }, (_, i) => i).join(',');
    const e = await plan([`schedule.warmup=${values}`, `schedule.epsilon=${values}`]);
    expect(e.code).toBe('CONFIG_LIMIT');
    expect(e.message).toMatch(/40000 trials/);
    const repeats = await plan(['schedule.warmup=0,1', 'sweep.repeats=10000']);
    expect(repeats.code).toBe('CONFIG_LIMIT');
  });

  it('sweep config errors are config errors, not usage errors', () => {
    expect(() =>
      expandSweep({ method: 'grid', parameters: { a: [1, 2], b: [1] }, zip: [['a', 'b']], trials: 1 }, 0),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
    expect(() => expandSweep({ method: 'grid', parameters: {}, zip: [], trials: 1 }, 0)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });

  it('checks the ranking metric even when the sweep comes from the command line', async () => {
    const e = await plan(['schedule.warmup=0,1', 'data={name: toy, val: false}']);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.issues[0]).toMatchObject({ path: 'sweep.metric' });
  });

  it('removes a key in every trial only when it exists', async () => {
    const e = await plan(['schedule.warmup=0,1', '~schedule.nothere']);
    expect(e.code).toBe('OVERRIDE_PATH');
  });
});

describe('random search draws (Optuna RandomSampler)', () => {
  it('gives every integer of an int range, the two ends included, the same share', () => {
    // 400 evenly spaced uniforms over [0, 1): exact quarters for 1..4, where rounding a draw on
    // [1, 4] would give the ends half the share of the middle values.
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < 400; k++)
      counts[(sampleParameter({ min: 1, max: 4, int: true }, () => (k + 0.5) / 400) as number) - 1]++;
    expect(counts).toEqual([100, 100, 100, 100]);
  });

  it('draws a log range uniformly in log space and a list uniformly', () => {
    expect(sampleParameter({ min: 1e-4, max: 1, log: true }, () => 0.5)).toBeCloseTo(1e-2, 12);
    expect(sampleParameter({ min: 1e-4, max: 1, log: true }, () => 0.25)).toBeCloseTo(1e-3, 12);
    expect(sampleParameter(['a', 'b', 'c'], () => 0.7)).toBe('c');
  });
});
