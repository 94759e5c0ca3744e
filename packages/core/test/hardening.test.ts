import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AnnealError, limits, loadExperiment, parseYaml } from '../src/index.ts';
import { tempFiles, testRegistry } from './fixtures.ts';

const base = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule:
  name: ramp
  warmup: 2
train:
  epochs: 10
`;

async function load(files: Record<string, string>, overrides: string[] = []) {
  const dir = tempFiles(files);
  return loadExperiment(join(dir, 'exp.yaml'), overrides, testRegistry());
}
const failure = (files: Record<string, string>, overrides: string[] = []) =>
  load(files, overrides).then(
    () => {
      throw new Error('expected a thrown AnnealError');
    },
    (error: AnnealError) => error,
  );

describe('numbers are finite and in range', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['train.batchSize=.inf', 'train.batchSize', /\.inf is not a finite number/],
    ['train.epochs=.inf', 'train.epochs', /\.inf is not a finite number/],
    ['seed=.inf', 'seed', /\.inf is not a finite number/],
    ['seed=.nan', 'seed', /\.nan is not a finite number/],
    ['optimizer.learningRate=.inf', 'optimizer.learningRate', /\.inf is not a finite number/],
    ['optimizer.learningRate=.nan', 'optimizer.learningRate', /\.nan is not a finite number/],
    ['schedule.warmup=-.inf', 'schedule.warmup', /-\.inf is not a finite number/],
  ];
  for (const [override, path, message] of cases) {
    it(`${override} is an error at ${path}, located at the command line`, async () => {
      const loaded = await load({ 'exp.yaml': base }, [override]);
      expect(loaded.config).toBeUndefined();
      expect(loaded.errors.map((e) => e.path)).toEqual([path]);
      expect(loaded.errors[0].message).toMatch(message);
      expect(loaded.errors[0].message).not.toMatch(/null/);
      expect(loaded.errors[0].location?.override).toBe(override);
    });
  }

  it('in a file too, at file:line:col', async () => {
    const loaded = await load({ 'exp.yaml': base.replace('epochs: 10', 'epochs: .inf') });
    expect(loaded.errors).toMatchObject([{ path: 'train.epochs', location: { line: 7, col: 11 } }]);
  });

  it('a seed beyond 32 bits is out of range', async () => {
    const loaded = await load({ 'exp.yaml': base }, ['seed=1e300']);
    expect(loaded.errors.map((e) => e.path)).toEqual(['seed']);
  });
});

describe('metric names', () => {
  const withData = `${base}data: { name: toy }\n`;
  it('an unknown monitor is an error with a did-you-mean', async () => {
    const loaded = await load({ 'exp.yaml': `${withData}` }, ['train.earlyStopping.monitor=val_los']);
    expect(loaded.errors).toMatchObject([{ path: 'train.earlyStopping.monitor', message: 'unknown metric `val_los`' }]);
    expect(loaded.errors[0].hint).toMatch(/did you mean `val_loss`/);
  });

  it('checks checkpoint, reduce-on-plateau and the sweep metric too', async () => {
    const loaded = await load({ 'exp.yaml': withData }, [
      'train.checkpoint.monitor=acc_val',
      'schedule.reduceOnPlateau.monitor=los',
      'sweep.metric=accuracy',
    ]);
    expect(loaded.errors.map((e) => e.path).sort()).toEqual([
      'schedule.reduceOnPlateau.monitor',
      'sweep.metric',
      'train.checkpoint.monitor',
    ]);
  });

  it('val_* needs validation data', async () => {
    const loaded = await load({ 'exp.yaml': `${base}data: { name: toy, val: false }\n` }, [
      'train.earlyStopping.monitor=val_acc',
    ]);
    expect(loaded.errors).toMatchObject([{ path: 'train.earlyStopping.monitor' }]);
    expect(loaded.errors[0].message).toMatch(/needs validation data/);
    // The default monitor (val_loss) is checked too, and plain `loss` is fine.
    const defaults = await load({ 'exp.yaml': `${base}data: { name: toy, val: false }\n` }, [
      'train.earlyStopping.patience=2',
    ]);
    expect(defaults.errors.map((e) => e.path)).toEqual(['train.earlyStopping.monitor']);
    const ok = await load({ 'exp.yaml': `${base}data: { name: toy, val: false }\n` }, [
      'train.earlyStopping.monitor=loss',
    ]);
    expect(ok.errors).toEqual([]);
  });

  it('a valid monitor with validation data passes', async () => {
    const loaded = await load({ 'exp.yaml': withData }, ['train.earlyStopping.monitor=val_acc']);
    expect(loaded.errors).toEqual([]);
  });
});

describe('a dataset without examples', () => {
  it('is a validation error, also beside train.stepsPerEpoch', async () => {
    for (const extra of [[], ['train.stepsPerEpoch=5']]) {
      const loaded = await load({ 'exp.yaml': `${base}data: { name: toy, n: 0 }\n` }, extra);
      expect(loaded.errors.map((e) => e.message)).toEqual(['dataset `toy` has no training examples']);
    }
  });
});

describe('YAML input', () => {
  it('finds duplicate keys with their lines', () => {
    const e = (() => {
      try {
        parseYaml('a: 1\nb:\n  c: 1\n  c: 2\na: 3\n', 'd.yaml');
      } catch (error) {
        return error as AnnealError;
      }
    })();
    expect(e?.code).toBe('CONFIG_YAML');
    expect(e?.issues).toMatchObject([
      { path: 'b.c', message: 'duplicate key `c` (first at line 3)', location: { line: 4, col: 3 } },
      { path: 'a', message: 'duplicate key `a` (first at line 1)', location: { line: 5, col: 1 } },
    ]);
  });

  it('an alias bomb is a config error at the first alias', async () => {
    let bomb = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 9; prev = `b${i}`, i++)
      bomb += `b${i}: &b${i} [${Array(10).fill(`*${prev}`).join(', ')}]\n`;
    const e = await failure({ 'exp.yaml': bomb });
    expect(e.code).toBe('CONFIG_YAML');
    expect(e.exitCode).toBe(2);
    expect(e.issues[0].location).toMatchObject({ line: 2, col: 10 });
  });

  it('refuses files, key counts and lists beyond the limits', async () => {
    const big = `${base}x: "${'y'.repeat(limits.fileBytes)}"\n`;
    expect(await failure({ 'exp.yaml': big })).toMatchObject({ code: 'CONFIG_LIMIT' });
    const keys = `${base}x:\n${Array.from({ length: limits.keys }, (_, i) => `  k${i}: ${i}\n`).join('')}`;
    const manyKeys = await failure({ 'exp.yaml': keys });
    expect(manyKeys.code).toBe('CONFIG_LIMIT');
    expect(manyKeys.issues[0].location?.line).toBeGreaterThan(limits.keys - 10);
    const list = `${base}x: [${Array(limits.listLength + 1)
      .fill(0)
      .join(',')}]\n`;
    expect(await failure({ 'exp.yaml': list })).toMatchObject({ code: 'CONFIG_LIMIT' });
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    it(`refuses a \`${key}\` key, also in a file named by extends`, async () => {
      const own = await failure({ 'exp.yaml': `${base}model:\n  ${key}: { polluted: 1 }\n` });
      expect(own).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
      expect(own.issues[0]).toMatchObject({ path: `model.${key}`, location: { line: 9, col: 3 } });
      const parent = await failure({
        'base.yaml': `schedule:\n  ${key}: { polluted: 1 }\n`,
        'exp.yaml': `extends: ./base.yaml\n${base}`,
      });
      expect(parent.issues[0].location?.file).toMatch(/base\.yaml$/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('an extends that names a directory says so', async () => {
    const dir = tempFiles({ 'exp.yaml': `extends: ./adir\n${base}` });
    mkdirSync(join(dir, 'adir'));
    const e = await loadExperiment(join(dir, 'exp.yaml'), [], testRegistry()).catch((x: AnnealError) => x);
    expect(e).toMatchObject({ code: 'CONFIG_EXTENDS' });
    expect((e as AnnealError).issues[0].message).toBe('./adir is a directory, not a file');
  });
});
