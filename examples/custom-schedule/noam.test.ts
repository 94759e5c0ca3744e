import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadExperiment, PluginRegistry } from '@anneal/core';
import { datasets, models } from '@anneal/trainer/plugins';

// The example must work exactly as a user would use it: from its config, through the loader.
describe('examples/custom-schedule (noam)', () => {
  it('loads from the config without a build step and follows the formula', async () => {
    const registry = new PluginRegistry();
    for (const p of [...datasets, ...models]) registry.register(p);
    const loaded = await loadExperiment(join(import.meta.dirname, 'noam.yaml'), [], registry);
    expect(loaded.errors).toEqual([]);
    const spe = loaded.run!.stepsPerEpoch!;
    const warmup = 2 * spe;
    const base = loaded.config!.optimizer.learningRate;
    // Independent form: the peak is the base rate; before it lr ∝ (t+1), after it lr ∝ (t+1)^−½.
    const at = (t: number) => (t < warmup ? (base * (t + 1)) / warmup : base * Math.sqrt(warmup / (t + 1)));
    for (const t of [0, 1, warmup - 2, warmup - 1, warmup, warmup + 1, 5 * spe, 8 * spe - 1]) {
      expect(loaded.schedule!.at(t) / at(t) - 1).toBeLessThan(1e-12);
      expect(at(t) / loaded.schedule!.at(t) - 1).toBeLessThan(1e-12);
    }
    expect(loaded.registry.find('schedule', 'noam')!.source).toBe(join(import.meta.dirname, 'noam.ts'));
  });
});
