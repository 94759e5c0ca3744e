import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definePlugin, PluginRegistry, validateExperiment, runPlan } from '@anneal/core';
import { DatasetCache, type DatasetKey } from './dataset-cache.ts';
import { datasets, models } from './plugins.ts';
import { runExperiment } from './run.ts';
import type { Dataset } from './types.ts';

const key = (data: unknown, over: Partial<DatasetKey> = {}): DatasetKey => ({
  data,
  seed: 1,
  backend: 'cpu',
  configDir: '/x',
  ...over,
});

/** A stand-in dataset that records whether it was freed. */
function fake(label: string) {
  const freed: string[] = [];
  const made: string[] = [];
  const create = async () => {
    made.push(label);
    return { inputShape: [label.length], dispose: () => freed.push(label) } as unknown as Dataset;
  };
  return { create, made, freed };
}

describe('DatasetCache', () => {
  it('makes a dataset once for the same key, whatever the order of its fields', async () => {
    const cache = new DatasetCache();
    const a = fake('a');
    const first = await cache.get(key({ name: 'mnist', trainSize: 10 }), a.create);
    const second = await cache.get(key({ trainSize: 10, name: 'mnist' }), a.create);
    expect(a.made).toEqual(['a']);
    expect(second.inputShape).toBe(first.inputShape);
    // A run's clean-up does not free what the next run will use.
    first.dispose();
    second.dispose();
    expect(a.freed).toEqual([]);
  });

  it('frees the old dataset and makes a new one when the data, seed, backend or directory differ', async () => {
    const cache = new DatasetCache();
    const changes: Partial<DatasetKey>[] = [{ data: { n: 2 } }, { seed: 2 }, { backend: 'wasm' }, { configDir: '/y' }];
    let previous = fake('base');
    await cache.get(key({ n: 1 }), previous.create);
    for (const change of changes) {
      const next = fake(JSON.stringify(change));
      await cache.get(key({ n: 1 }, change), next.create);
      expect(previous.freed).toHaveLength(1);
      expect(next.made).toHaveLength(1);
      previous = next;
    }
    cache.clear();
    expect(previous.freed).toHaveLength(1);
  });

  it('gives a run with a reused dataset the same results as a fresh one', async () => {
    const registry = new PluginRegistry();
    for (const p of [...datasets, ...models]) registry.register(p, 'test');
    // The schedule packages sit beside the trainer, not under it: a constant rate defined here.
    registry.register(
      definePlugin({
        kind: 'schedule',
        name: 'constant',
        description: 'test schedule',
        schema: { type: 'object', properties: {} },
        create: (_o: unknown, ctx: { base: number }) => ({
          at: () => ctx.base,
          phases: [{ name: 'constant', start: 0 }],
        }),
      }),
      'test',
    );
    const validated = validateExperiment(
      {
        data: {
          name: 'reuse',
          seed: 3,
          data: { name: 'synthetic', kind: 'blobs', samples: 120, classes: 3, validationSplit: 0.25 },
          model: { name: 'mlp', hidden: [6] },
          optimizer: { name: 'sgd', learningRate: 0.1 },
          train: { epochs: 2, batchSize: 16, backend: 'cpu' },
          output: { tensorboard: false, plots: false, saveModel: false },
        },
        sources: new Map(),
        file: join(tmpdir(), 'x.yaml'),
      },
      registry,
    );
    const { config, errors } = validated;
    expect(errors).toEqual([]);
    const run = async (cache?: DatasetCache) => {
      const out = join(mkdtempSync(join(tmpdir(), 'anneal-cache-')), 'run');
      await runExperiment(
        { config: config!, plan: runPlan(validated), registry, file: join(tmpdir(), 'x.yaml'), overrides: [] },
        { out, datasets: cache },
      );
      return readFileSync(join(out, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => {
          const { seconds: _, ...row } = JSON.parse(l);
          return row;
        });
    };
    const cache = new DatasetCache();
    const fresh = await run();
    expect(await run(cache)).toEqual(fresh);
    // The second run uses the cached tensors, which the first run's clean-up left alone.
    expect(await run(cache)).toEqual(fresh);
    cache.clear();
  });
});
