import { AnnealError, loadExperiment, TOKENS, type LoadedExperiment, type PluginRegistry } from '@anneal/core';
import type { DependencyContainer } from 'tsyringe';
import type { Reporter } from './reporter.ts';

/** Load and validate a config for a command: warnings are shown, errors become one AnnealError. */
export async function loadValid(container: DependencyContainer, file: string, overrides: string[]): Promise<Required<Pick<LoadedExperiment, 'config' | 'schedule' | 'run'>> & LoadedExperiment> {
  const registry = container.resolve<PluginRegistry>(TOKENS.Registry);
  const loaded = await loadExperiment(file, overrides, registry);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  for (const warning of loaded.warnings) reporter.warn(warning);
  if (loaded.errors.length || !loaded.config || !loaded.schedule || !loaded.run) {
    const n = loaded.errors.length;
    throw new AnnealError('CONFIG_INVALID', `${file} is not a valid experiment (${n} problem${n === 1 ? '' : 's'}):`, { issues: loaded.errors });
  }
  return loaded as never;
}
