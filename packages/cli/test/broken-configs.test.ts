import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exp, tempDir, type ExpResult } from './exp.ts';

const good = `name: demo
optimizer: { name: adam, learningRate: 0.01 }
schedule:
  name: cosine-warmup
  warmup: 2
  hold: 1
  epsilon: 1.0e-5
train:
  epochs: 10
`;

const throwing = `import { definePlugin } from '@anneal/core';
export default definePlugin({
  kind: 'schedule', name: 'explodes', description: 'throws in create',
  schema: { type: 'object', properties: {} },
  create() { throw new Error('kaboom in create'); },
});
`;

/** Each broken config: its files, extra args, and where the message must point. */
const corpus: Record<
  string,
  { files: Record<string, string>; args?: string[]; command?: string[]; where: RegExp; says: RegExp }
> = {
  'bad YAML': {
    files: { 'c.yaml': 'name: demo\noptimizer: { name: adam\ntrain:\n  epochs: 3\n' },
    where: /c\.yaml:\d+:\d+/,
    says: /not valid YAML/,
  },
  'wrong type': {
    files: { 'c.yaml': good.replace('epochs: 10', 'epochs: ten') },
    where: /c\.yaml:9:11/,
    says: /train\.epochs: expected integer, got string "ten"/,
  },
  'unknown key': {
    files: { 'c.yaml': good.replace('hold: 1', 'hodl: 1') },
    where: /c\.yaml:6:3/,
    says: /unknown key `hodl`[\s\S]*did you mean `hold`/,
  },
  'unknown top-level key': {
    files: { 'c.yaml': `${good}sheduler: {}\n` },
    where: /c\.yaml:10:1/,
    says: /did you mean `schedule`/,
  },
  'unknown schedule': {
    files: { 'c.yaml': good.replace('cosine-warmup', 'cosine-warmpu') },
    where: /c\.yaml:4:9/,
    says: /did you mean `cosine-warmup`/,
  },
  'warm-up longer than the run': {
    files: { 'c.yaml': good.replace('warmup: 2', 'warmup: 12') },
    where: /c\.yaml:5:11/,
    says: /schedule\.warmup/,
  },
  'epsilon above the base rate': {
    files: { 'c.yaml': good.replace('epsilon: 1.0e-5', 'epsilon: 0.5') },
    where: /c\.yaml:7:12/,
    says: /schedule\.epsilon/,
  },
  'cycleMomentum with an optimizer that has no momentum': {
    files: {
      'c.yaml': good
        .replace('name: adam', 'name: sgd')
        .replace(/schedule:[\s\S]*?train:/, 'schedule: { name: one-cycle, cycleMomentum: true }\ntrain:'),
    },
    where: /c\.yaml:3:45/,
    says: /schedule\.cycleMomentum: cycleMomentum needs an optimizer with a momentum or beta1; `sgd` has neither/,
  },
  'cycleMomentum inside a sequence, which drops it': {
    files: {
      'c.yaml': good.replace(
        /schedule:[\s\S]*?train:/,
        'schedule:\n  name: sequence\n  parts:\n    - schedule: { name: one-cycle, cycleMomentum: true }\ntrain:',
      ),
    },
    where: /c\.yaml:6:\d+/,
    says: /schedule\.parts\.0\.schedule\.cycleMomentum: schedule `sequence` at schedule does not pass on the momentum/,
  },
  'missing plugin file': {
    files: { 'c.yaml': `${good}plugins: [./nope.ts]\n` },
    where: /c\.yaml:10:11/,
    says: /plugin not found: .*nope\.ts/,
  },
  'plugin whose own import is missing': {
    files: {
      'c.yaml': `${good}plugins: [./needs-pkg.ts]\n`,
      'needs-pkg.ts': `import 'left-pad-not-installed';\n${throwing}`,
    },
    where: /c\.yaml:\d+:\d+/,
    says: /plugin .*needs-pkg\.ts failed to load: it imports `left-pad-not-installed`, which cannot be found[\s\S]*npm install left-pad-not-installed/,
  },
  'plugin that throws': {
    files: {
      'c.yaml': `${good.replace(/schedule:[\s\S]*?train:/, 'schedule: { name: explodes }\ntrain:')}plugins: [./explodes.ts]\n`,
      'explodes.ts': throwing,
    },
    where: /c\.yaml:3:11/,
    says: /`explodes` \(.*explodes\.ts\) threw: kaboom in create/,
  },
  'bad override value': {
    files: { 'c.yaml': good },
    args: ['schedule.warmup=50'],
    where: /command line \(schedule\.warmup=50\)/,
    says: /schedule\.warmup/,
  },
  'override that is not key=value': {
    files: { 'c.yaml': good },
    args: ['schedule.warmup'],
    where: /`schedule\.warmup` is not an override/,
    says: /key\.path=value/,
  },
  'missing config file': { files: {}, where: /c\.yaml/, says: /cannot read config file/ },
  'removing a key that does not exist': {
    files: { 'c.yaml': good },
    args: ['~schedule.nothere.warmup'],
    where: /`~schedule\.nothere\.warmup`/,
    says: /no key `schedule\.nothere`/,
  },
  'infinite batch size': {
    files: { 'c.yaml': good },
    args: ['train.batchSize=.inf'],
    where: /command line \(train\.batchSize=\.inf\)/,
    says: /train\.batchSize: \.inf is not a finite number/,
  },
  'infinite epochs': {
    files: { 'c.yaml': good.replace('epochs: 10', 'epochs: .inf') },
    where: /c\.yaml:9:11/,
    says: /train\.epochs: \.inf is not a finite number/,
  },
  'NaN learning rate': {
    files: { 'c.yaml': good },
    args: ['optimizer.learningRate=.nan'],
    where: /command line/,
    says: /optimizer\.learningRate: \.nan is not a finite number/,
  },
  'infinite seed': {
    files: { 'c.yaml': good },
    args: ['seed=.inf'],
    where: /command line \(seed=\.inf\)/,
    says: /seed: \.inf is not a finite number/,
  },
  'a misspelt metric': {
    files: { 'c.yaml': `${good}  earlyStopping: { monitor: val_los }\n` },
    where: /c\.yaml:10:29/,
    says: /unknown metric `val_los`[\s\S]*did you mean `val_loss`/,
  },
  'a huge list index': {
    files: { 'c.yaml': `${good}model: { name: mlp, hidden: [8, 4] }\n` },
    args: ['model.hidden.4294967296=3'],
    where: /`model\.hidden\.4294967296=3`/,
    says: /past the list limit/,
  },
  'a __proto__ override': {
    files: { 'c.yaml': good },
    args: ['__proto__.polluted=1'],
    where: /`__proto__\.polluted=1`/,
    says: /`__proto__` cannot be a key/,
  },
  'a __proto__ key through extends': {
    files: { 'c.yaml': `extends: ./base.yaml\n${good}`, 'base.yaml': 'model:\n  __proto__: { x: 1 }\n' },
    where: /base\.yaml:2:3/,
    says: /`__proto__` is not allowed as a key/,
  },
  'a YAML alias bomb': {
    files: {
      'c.yaml': `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from(
        { length: 9 },
        (_, i) =>
          `b${i}: &b${i} [${Array(10)
            .fill(i ? `*b${i - 1}` : '*a')
            .join(', ')}]\n`,
      ).join('')}`,
    },
    where: /c\.yaml:2:\d+/,
    says: /aliases expand to too much data/,
  },
  'a duplicate key': {
    files: { 'c.yaml': `${good}name: again\n` },
    where: /c\.yaml:10:1/,
    says: /duplicate key `name` \(first at line 1\)/,
  },
  'extends naming a directory': {
    files: { 'c.yaml': `extends: ./adir\n${good}`, 'adir/x.yaml': good },
    where: /c\.yaml:1:10/,
    says: /\.\/adir is a directory, not a file/,
  },
  'a header-only CSV': {
    files: { 'c.yaml': `${good}data: { name: csv, path: ./d.csv }\n`, 'd.csv': 'x,y,label\n' },
    where: /c\.yaml:10:7/,
    says: /no data rows/,
  },
  'an infinite sweep': {
    files: { 'c.yaml': good },
    command: ['sweep', '--dry-run'],
    args: ['schedule.warmup=0,1', 'sweep.repeats=.inf'],
    where: /command line \(sweep\.repeats=\.inf\)/,
    says: /\.inf is not a finite number/,
  },
  'a sweep over the size limit': {
    files: { 'c.yaml': good },
    command: ['sweep', '--dry-run'],
    args: ['schedule.warmup=0,1', 'sweep.repeats=6000'],
    where: /12000 trials/,
    says: /more than 10000/,
  },
};

describe('a corpus of broken configs', () => {
  const results: Record<string, ExpResult> = {};
  beforeAll(async () => {
    // One process each, as a user runs them; a few at a time, to keep the suite quick on a busy machine.
    const queue = Object.entries(corpus);
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [name, c] = next;
          const dir = tempDir(c.files);
          const [command, ...flags] = c.command ?? ['validate'];
          results[name] = await exp([command, join(dir, 'c.yaml'), ...flags, ...(c.args ?? [])]);
        }
      }),
    );
  }, 600_000);

  for (const [name, c] of Object.entries(corpus)) {
    it(`${name}: exit 2, says where and how to fix, no stack`, () => {
      const r = results[name];
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(c.where);
      expect(r.stderr).toMatch(c.says);
      expect(r.stderr).toMatch(/hint:/);
      expect(r.stderr).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
      expect(r.stdout).toBe('');
    });
  }

  it('a valid config prints ok and a summary', async () => {
    const dir = tempDir({ 'c.yaml': good });
    const r = await exp(['validate', join(dir, 'c.yaml')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok: demo — adam lr=0\.01, schedule cosine-warmup \(per epoch\), 10 epochs/);
  });

  it('--debug adds the stack trace', async () => {
    const dir = tempDir({ 'c.yaml': 'name: [\n' });
    const r = await exp(['validate', join(dir, 'c.yaml'), '--debug']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^\s+at /m);
  });

  it('usage errors exit 2 with a hint', async () => {
    const r = await exp(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "frobnicate"[\s\S]*hint/);
    const bad = await exp(['schedule', 'x.yaml', '--length', '-3']);
    expect(bad.code).toBe(2);
  });
});
