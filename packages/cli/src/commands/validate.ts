import type { DependencyContainer } from 'tsyringe';
import { TOKENS } from '@anneal/core';
import { loadValid } from '../load.ts';
import type { Reporter } from '../reporter.ts';

/** `exp validate`: `ok` and a one-line summary, or every error (thrown, exit 2). */
export async function validate(container: DependencyContainer, file: string, overrides: string[]): Promise<void> {
  const { config, run } = await loadValid(container, file, overrides);
  const { optimizer, schedule, train } = config;
  const parts = [
    `${optimizer.name} lr=${optimizer.learningRate}`,
    `schedule ${schedule.name} (per ${schedule.unit})`,
    `${train.epochs} epochs${run.stepsPerEpoch ? ` × ${run.stepsPerEpoch} steps` : ''}`,
    config.data && `data ${config.data.name}`,
    config.model && `model ${config.model.name}`,
  ].filter(Boolean);
  container.resolve<Reporter>(TOKENS.Reporter).out(`ok: ${config.name} — ${parts.join(', ')}`);
}
