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
const corpus: Record<string, { files: Record<string, string>; args?: string[]; where: RegExp; says: RegExp }> = {
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
  'missing plugin file': {
    files: { 'c.yaml': `${good}plugins: [./nope.ts]\n` },
    where: /c\.yaml:10:11/,
    says: /plugin not found: .*nope\.ts/,
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
};

describe('a corpus of broken configs', () => {
  const results: Record<string, ExpResult> = {};
  beforeAll(async () => {
    // One process each, as a user runs them; run concurrently to keep the suite quick.
    await Promise.all(
      Object.entries(corpus).map(async ([name, c]) => {
        const dir = tempDir(c.files);
        results[name] = await exp(['validate', join(dir, 'c.yaml'), ...(c.args ?? [])]);
      }),
    );
  }, 120_000);

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
