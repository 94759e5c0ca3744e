import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { container } from 'tsyringe';
import { TOKENS, type PluginRegistry } from '@anneal/core';
import { createRoot } from '../src/root.ts';
import { exp, tempDir } from './exp.ts';

const forbid = ['--import', join(import.meta.dirname, 'forbid-tfjs.mjs')];

describe('commands that must stay light', () => {
  it('the hook really stops tfjs (so the checks below can fail)', async () => {
    const r = await exp(['run', 'configs/iris.yaml', '--out', join(tempDir(), 'run')], { nodeArgs: forbid });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/tfjs was loaded/);
  });

  for (const args of [
    ['--help'],
    ['validate', 'configs/mnist-cosine-warmup.yaml'],
    ['schedule', 'configs/mnist-cosine-warmup.yaml', '--json'],
    ['plugins'],
    ['schema'],
    ['schedule', 'configs/mnist-warmup-epsilon-sweep.yaml', '--sweep', '--json'],
  ]) {
    it(`exp ${args.join(' ')} does not load tfjs`, async () => {
      const r = await exp(args, { nodeArgs: forbid });
      expect(r.code, r.stderr).toBe(0);
    });
  }
});

describe('the composition root', () => {
  it('resolves every process-wide token, and a child scope per run', () => {
    const root = createRoot();
    const registry = root.resolve<PluginRegistry>(TOKENS.Registry);
    expect(registry.names('schedule')).toContain('cosine-warmup');
    expect(registry.names('dataset')).toEqual(['csv', 'iris', 'mnist', 'synthetic']);
    expect(root.resolve(TOKENS.Reporter)).toBeDefined();
    expect(root.resolve<unknown[]>(TOKENS.Loggers)).toHaveLength(3);
    expect(typeof root.resolve(TOKENS.Backend)).toBe('function');
    expect(Object.keys(root.resolve<object>(TOKENS.Launchers)).sort()).toEqual(['local', 'queue']);
    const run = root.createChildContainer();
    run.register(TOKENS.RunRegistry, { useValue: registry.child() });
    expect(run.resolve(TOKENS.Registry)).toBe(registry);
    expect(run.resolve<PluginRegistry>(TOKENS.RunRegistry)).not.toBe(registry);
    // Nothing leaks into the global container.
    expect(container.isRegistered(TOKENS.Registry)).toBe(false);
  });
});
