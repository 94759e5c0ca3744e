import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { definePlugin, duration, PluginRegistry } from '../src/index.ts';

/** A temp dir with the given files (path → text); returns the dir. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-core-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** A small warm-up-then-constant schedule, enough to exercise the validation stages. */
export const rampPlugin = definePlugin({
  kind: 'schedule',
  name: 'ramp',
  description: 'Linear warm-up, then constant (test plugin)',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      warmup: duration('Warm-up length', { default: 0 }),
      epsilon: { type: 'number', minimum: 0, default: 0, description: 'Floor' },
    },
  },
  check(options, ctx: { base: number; total: number }) {
    const issues = [];
    if ((options.warmup ?? 0) >= ctx.total)
      issues.push({
        path: 'warmup',
        message: `warmup (${options.warmup}) must be shorter than the run (${ctx.total})`,
        hint: 'shorten warmup',
      });
    if ((options.epsilon ?? 0) > ctx.base)
      issues.push({ path: 'epsilon', message: 'epsilon above base', hint: 'lower epsilon' });
    return issues;
  },
  create(options, ctx: { base: number }) {
    const w = options.warmup ?? 0;
    return {
      at: (t: number) => (t < w ? (ctx.base * t) / w : ctx.base),
      phases: [
        { name: 'warmup', start: 0 },
        { name: 'constant', start: w },
      ],
    };
  },
});

export const constantPlugin = definePlugin({
  kind: 'schedule',
  name: 'constant',
  description: 'The base rate',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  create: (_o, ctx: { base: number }) => ({ at: () => ctx.base, phases: [{ name: 'constant', start: 0 }] }),
});

export const toyDataset = definePlugin({
  kind: 'dataset',
  name: 'toy',
  description: 'n examples (test plugin)',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      n: { type: 'integer', minimum: 0, default: 100 },
      val: { type: 'boolean', default: true, description: 'Whether examples are held out for validation' },
    },
  },
  count: (o) => o.n ?? 100,
  hasValidation: (o) => o.val !== false,
  create: () => ({}),
});

export function testRegistry(): PluginRegistry {
  const r = new PluginRegistry();
  for (const p of [rampPlugin, constantPlugin, toyDataset]) r.register(p, 'test');
  return r;
}
