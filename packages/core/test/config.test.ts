import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnealError, loadExperiment } from '../src/index.ts';
import { tempFiles, testRegistry } from './fixtures.ts';

const base = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule:
  name: ramp
  warmup: 2
train:
  epochs: 10
`;

async function load(files: Record<string, string>, overrides: string[] = [], entry = 'exp.yaml') {
  const dir = tempFiles(files);
  return { dir, loaded: await loadExperiment(join(dir, entry), overrides, testRegistry()) };
}

describe('loading experiments', () => {
  it('fills defaults and builds the schedule', async () => {
    const { loaded } = await load({ 'exp.yaml': base });
    expect(loaded.errors).toEqual([]);
    expect(loaded.config!.train.batchSize).toBe(32);
    expect(loaded.config!.schedule.unit).toBe('epoch');
    expect(loaded.schedule!.at(1)).toBeCloseTo(0.005, 15);
    expect(loaded.schedule!.at(5)).toBe(0.01);
  });

  it('merges extends deeply, later wins, lists replace', async () => {
    const { loaded } = await load({
      'base.yaml': `${base}plugins: []\nsweep:\n  exclude: [a, b]\n`,
      'exp.yaml': 'extends: ./base.yaml\nname: child\nschedule: { warmup: 4 }\nsweep:\n  exclude: [c]\n',
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.config!.name).toBe('child');
    expect(loaded.config!.schedule).toMatchObject({ name: 'ramp', warmup: 4 });
    expect(loaded.config!.sweep!.exclude).toEqual(['c']);
  });

  it('applies a list of extends in order', async () => {
    const { loaded } = await load({
      'a.yaml': base,
      'b.yaml': 'train: { epochs: 20 }\n',
      'exp.yaml': 'extends: [./a.yaml, ./b.yaml]\n',
    });
    expect(loaded.config!.train.epochs).toBe(20);
    expect(loaded.config!.name).toBe('demo');
  });

  it('applies overrides as YAML values and removes keys with ~', async () => {
    const { loaded } = await load({ 'exp.yaml': `${base}seed: 3\n` }, [
      'schedule.warmup=3',
      'optimizer.learningRate=3e-4',
      '~seed',
    ]);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config!.schedule.warmup).toBe(3);
    expect(loaded.config!.optimizer.learningRate).toBe(3e-4);
    expect(loaded.config!.seed).toBe(0);
  });

  it('rejects an override that is not key=value', async () => {
    await expect(load({ 'exp.yaml': base }, ['schedule.warmup'])).rejects.toMatchObject({ code: 'OVERRIDE_SYNTAX' });
  });

  it('reports a YAML syntax error with its line and column', async () => {
    const error = await load({ 'exp.yaml': 'name: x\noptimizer: {name: adam\ntrain:\n  epochs: 3\n' }).catch((e) => e);
    expect(error).toBeInstanceOf(AnnealError);
    expect(error.code).toBe('CONFIG_YAML');
    expect(error.issues[0].location.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an extends cycle and a missing parent', async () => {
    await expect(load({ 'exp.yaml': 'extends: ./b.yaml\n', 'b.yaml': 'extends: ./exp.yaml\n' })).rejects.toMatchObject({
      code: 'CONFIG_EXTENDS',
    });
    const e = await load({ 'exp.yaml': 'name: a\nextends: ./nope.yaml\n' }).catch((x) => x);
    expect(e.code).toBe('CONFIG_EXTENDS');
    expect(e.issues[0].location).toMatchObject({ line: 2, col: 10 });
  });
});

describe('validation messages', () => {
  it('locates a wrong type at file:line:col with the key path', async () => {
    const { dir, loaded } = await load({ 'exp.yaml': base.replace('epochs: 10', 'epochs: "10"') });
    const issue = loaded.errors.find((e) => e.path === 'train.epochs')!;
    expect(issue.message).toMatch(/expected integer, got string "10"/);
    expect(issue.location).toEqual({ file: join(dir, 'exp.yaml'), line: 7, col: 11 });
  });

  it('suggests the closest key for an unknown one, at the key position', async () => {
    const { loaded } = await load({ 'exp.yaml': base.replace('  warmup: 2', '  warmpu: 2') });
    const issue = loaded.errors.find((e) => e.path === 'schedule.warmpu')!;
    expect(issue.message).toBe('unknown key `warmpu`');
    expect(issue.hint).toMatch(/did you mean `warmup`/);
    expect(issue.location).toMatchObject({ line: 5, col: 3 });
  });

  it('rejects unknown top-level keys and suggests', async () => {
    const { loaded } = await load({ 'exp.yaml': `${base}optimiser: {}\n` });
    expect(loaded.errors.map((e) => [e.path, e.hint])).toContainEqual([
      'optimiser',
      expect.stringMatching(/did you mean `optimizer`/),
    ]);
  });

  it('suggests the closest plugin name', async () => {
    const { loaded } = await load({ 'exp.yaml': base.replace('name: ramp', 'name: rmap') });
    expect(loaded.errors[0]).toMatchObject({ path: 'schedule.name', message: 'unknown schedule `rmap`' });
    expect(loaded.errors[0].hint).toMatch(/did you mean `ramp`/);
  });

  it('runs cross-field rules of the plugin and locates them', async () => {
    const { loaded } = await load({ 'exp.yaml': base.replace('warmup: 2', 'warmup: 12\n  epsilon: 0.5') });
    expect(loaded.errors.map((e) => e.path).sort()).toEqual(['schedule.epsilon', 'schedule.warmup']);
    expect(loaded.errors.find((e) => e.path === 'schedule.warmup')!.location).toMatchObject({ line: 5, col: 11 });
  });

  it('collects every error at once, without coercion', async () => {
    const { loaded } = await load({
      'exp.yaml': 'name: demo\noptimizer: { name: adamw, learningRate: "0.1" }\ntrain: { epochs: 0, batchSize: 1.5 }\n',
    });
    const paths = loaded.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['optimizer.name', 'optimizer.learningRate', 'train.epochs', 'train.batchSize']),
    );
    expect(loaded.errors.find((e) => e.path === 'optimizer.name')!.hint).toMatch(/did you mean `adam`/);
  });

  it('locates a value set by an override at the command line', async () => {
    const { loaded } = await load({ 'exp.yaml': base }, ['schedule.warmup=20']);
    expect(loaded.errors[0].location).toEqual({ file: '<command line>', override: 'schedule.warmup=20' });
  });

  it('locates errors through extends in the file that wrote the value', async () => {
    const { dir, loaded } = await load({
      'base.yaml': base.replace('warmup: 2', 'warmup: 30'),
      'exp.yaml': 'extends: ./base.yaml\nseed: 1\n',
    });
    expect(loaded.errors[0].location).toMatchObject({ file: join(dir, 'base.yaml'), line: 5 });
  });

  it('validates optimizer options for the chosen optimizer', async () => {
    const { loaded } = await load({
      'exp.yaml': base.replace('{ name: adam, learningRate: 0.01 }', '{ name: sgd, learningRate: 0.01, beta1: 0.9 }'),
    });
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ path: 'optimizer.beta1', message: 'unknown key `beta1`' });
  });
});

describe('durations and the step unit', () => {
  it('resolves 3ep / 500st / 5% from the data size and batch size', async () => {
    // 100 examples / batch 32 → 4 steps per epoch; 10 epochs → 40 steps.
    const cfg = (w: string) =>
      `${base.replace('warmup: 2', `warmup: ${w}`).replace('  name: ramp', '  name: ramp\n  unit: step')}data: { name: toy, n: 100 }\n`;
    for (const [w, steps] of [
      ['3ep', 12],
      ['8st', 8],
      ['25%', 10],
    ] as const) {
      const { loaded } = await load({ 'exp.yaml': cfg(w) });
      expect(loaded.errors).toEqual([]);
      expect(loaded.run!.stepsPerEpoch).toBe(4);
      expect(loaded.schedule!.phases[1].start).toBe(steps);
    }
  });

  it('needs the steps per epoch for unit: step', async () => {
    const { loaded } = await load({ 'exp.yaml': base.replace('  name: ramp', '  name: ramp\n  unit: step') });
    expect(loaded.errors[0]).toMatchObject({ path: 'schedule.unit' });
    expect(loaded.errors[0].hint).toMatch(/stepsPerEpoch/);
  });

  it('rejects a malformed duration with a hint', async () => {
    const { loaded } = await load({ 'exp.yaml': base.replace('warmup: 2', 'warmup: 3 weeks') });
    expect(loaded.errors[0]).toMatchObject({ path: 'schedule.warmup' });
    expect(loaded.errors[0].hint).toMatch(/3ep/);
  });
});

describe('user plugins', () => {
  const plugin = (body: string) => `import { definePlugin } from '@anneal/core';\nexport default ${body};\n`;
  const cfg = `${base.replace('name: ramp\n  warmup: 2', 'name: half')}plugins: [./half.ts]\n`;

  it('loads a .ts plugin relative to the config, without a build', async () => {
    const { loaded } = await load({
      'exp.yaml': cfg,
      'half.ts': plugin(
        `definePlugin({ kind: 'schedule', name: 'half', description: 'half rate', schema: { type: 'object', properties: {} }, create: (_o: unknown, ctx: { base: number }) => ({ at: () => ctx.base / 2, phases: [] }) })`,
      ),
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.schedule!.at(0)).toBe(0.005);
  });

  it('reports a missing plugin file at its line in plugins:', async () => {
    const { loaded } = await load({ 'exp.yaml': cfg });
    expect(loaded.errors).toHaveLength(1);
    expect(loaded.errors[0]).toMatchObject({ path: 'plugins.0', message: expect.stringMatching(/plugin not found/) });
    expect(loaded.errors[0].location!.line).toBe(7);
  });

  it('reports a plugin with a bad shape, and one that throws in create, with name and file', async () => {
    const bad = await load({ 'exp.yaml': cfg, 'half.ts': plugin(`{ kind: 'schedule', name: 'half' }`) });
    expect(bad.loaded.errors[0].message).toMatch(/half\.ts.*bad shape.*description/);
    const throws = await load({
      'exp.yaml': cfg,
      'half.ts': plugin(
        `definePlugin({ kind: 'schedule', name: 'half', description: 'd', schema: { type: 'object' }, create() { throw new Error('boom'); } })`,
      ),
    });
    expect(throws.loaded.errors[0].message).toMatch(/`half` \(.*half\.ts\) threw: boom/);
  });

  it('refuses a plugin whose name clashes with a built-in', async () => {
    const { loaded } = await load({
      'exp.yaml': cfg,
      'half.ts': plugin(
        `definePlugin({ kind: 'schedule', name: 'ramp', description: 'd', schema: {}, create: () => ({ at: () => 1, phases: [] }) })`,
      ),
    });
    expect(loaded.errors[0].message).toMatch(/clashes with the one from test/);
  });
});

describe('switching plugins', () => {
  it('drops the old plugin options when a later layer names another plugin', async () => {
    const { loaded } = await load({
      'base.yaml': base.replace('  name: ramp', '  name: ramp\n  unit: epoch'),
      'exp.yaml': 'extends: ./base.yaml\nschedule: { name: constant }\n',
    });
    expect(loaded.errors).toEqual([]);
    expect(loaded.config!.schedule).toEqual({ name: 'constant', unit: 'epoch' });
  });

  it('does the same for a name override, keeping later overrides', async () => {
    const { loaded } = await load({ 'exp.yaml': base }, ['schedule.name=constant']);
    expect(loaded.errors).toEqual([]);
    expect(loaded.config!.schedule).toEqual({ name: 'constant', unit: 'epoch' });
    const again = await load({ 'exp.yaml': base }, ['schedule.name=ramp', 'schedule.warmup=3']);
    expect(again.loaded.config!.schedule.warmup).toBe(3);
  });
});
