import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOKENS } from '@anneal/core';
import type { BackendSelector, TrainerHooks } from '@anneal/trainer';
import type { LoggerFactory } from '@anneal/trainer/plugins';
import { run } from '../src/commands/run.ts';
import { createReporter } from '../src/reporter.ts';
import { createRoot } from '../src/root.ts';
import { tempDir } from './exp.ts';

// Issue 7: the container composes the run. A program embedding anneal (here, a test) replaces a
// piece by registering it in its own child container; `exp run` then trains with it.
describe('the container composes a run', () => {
  it('an extra logger and another backend selector, registered in a child container, are used', async () => {
    const root = createRoot({ reporter: createReporter({ quiet: true }) });
    const scope = root.createChildContainer();
    const epochs: number[] = [];
    const extra: LoggerFactory = async () =>
      ({ onEpochEnd: async (row) => void epochs.push(row.epoch) }) satisfies TrainerHooks;
    const builtin = root.resolve<LoggerFactory[]>(TOKENS.Loggers);
    scope.register(TOKENS.Loggers, { useValue: [...builtin, extra] });
    const asked: string[] = [];
    const real = root.resolve<BackendSelector>(TOKENS.Backend);
    scope.register(TOKENS.Backend, {
      useValue: (async (request) => {
        asked.push(request);
        return real('cpu');
      }) satisfies BackendSelector,
    });
    const out = join(tempDir(), 'run');
    const outcome = await run(
      scope,
      'configs/iris.yaml',
      ['train.epochs=3', 'schedule.warmup=1', 'output.plots=false'],
      {
        out,
        quiet: true,
      },
    );
    expect(outcome).toBe('ok');
    expect(epochs).toEqual([0, 1, 2]);
    expect(asked).toEqual(['auto']);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).backend).toBe('cpu');
    // The built-in loggers still wrote their files; the root container is untouched.
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(true);
    expect(root.resolve<LoggerFactory[]>(TOKENS.Loggers)).toBe(builtin);
  });

  it('a logger list without the built-ins writes no metrics files', async () => {
    const root = createRoot({ reporter: createReporter({ quiet: true }) });
    const scope = root.createChildContainer();
    scope.register(TOKENS.Loggers, { useValue: [] });
    scope.register(TOKENS.Backend, {
      useValue: ((_request) => root.resolve<BackendSelector>(TOKENS.Backend)('cpu')) satisfies BackendSelector,
    });
    const out = join(tempDir(), 'run');
    expect(await run(scope, 'configs/iris.yaml', ['train.epochs=2', 'schedule.warmup=1'], { out, quiet: true })).toBe(
      'ok',
    );
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
  });
});
