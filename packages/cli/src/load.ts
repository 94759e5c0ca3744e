import {
  AnnealError,
  loadExperiment,
  TOKENS,
  type ExperimentConfig,
  type LoadedExperiment,
  type PluginRegistry,
} from '@anneal/core';
import type { DependencyContainer } from 'tsyringe';
import type { BackendSelector } from '@anneal/trainer';
import type { LoggerFactory } from '@anneal/trainer/plugins';
import type { Reporter } from './reporter.ts';

/** Load and validate a config for a command: warnings are shown, errors become one AnnealError. */
export async function loadValid(
  container: DependencyContainer,
  file: string,
  overrides: string[],
): Promise<Required<Pick<LoadedExperiment, 'config' | 'schedule' | 'run'>> & LoadedExperiment> {
  const registry = container.resolve<PluginRegistry>(TOKENS.Registry);
  const loaded = await loadExperiment(file, overrides, registry);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  for (const warning of loaded.warnings) reporter.warn(warning);
  if (loaded.errors.length || !loaded.config || !loaded.schedule || !loaded.run) {
    const n = loaded.errors.length;
    throw new AnnealError('CONFIG_INVALID', `${file} is not a valid experiment (${n} problem${n === 1 ? '' : 's'}):`, {
      issues: loaded.errors,
    });
  }
  return loaded as never;
}

/** The built-in registry, plus the plugins that `config`'s `plugins:` loads when a config is given. */
export async function registryFor(container: DependencyContainer, config?: string): Promise<PluginRegistry> {
  const registry = container.resolve<PluginRegistry>(TOKENS.Registry);
  if (!config) return registry;
  // Only the config's plugins matter here, not its other problems.
  const loaded = await loadExperiment(config, [], registry);
  const broken = loaded.errors.filter((e) => e.path.startsWith('plugins'));
  if (broken.length)
    throw new AnnealError('PLUGIN_LOAD', `${config}: a plugin could not be loaded`, { issues: broken });
  return loaded.registry;
}

/** What one run needs, resolved from its own child container (one per run and per sweep trial). */
export interface RunScope {
  config: ExperimentConfig;
  registry: PluginRegistry;
  reporter: Reporter;
  /** What composes the run in the trainer: its loggers and its backend selector. */
  loggers: LoggerFactory[];
  selectBackend: BackendSelector;
}

/**
 * A child container for one run (and one per sweep trial): its config and its registry (built-ins
 * + the config's plugins), and the pieces the trainer is composed of, as registered.
 */
export function runScope(
  container: DependencyContainer,
  loaded: { config: ExperimentConfig; registry: PluginRegistry },
): RunScope {
  const scope = container.createChildContainer();
  scope.register(TOKENS.Config, { useValue: loaded.config });
  scope.register(TOKENS.RunRegistry, { useValue: loaded.registry });
  return {
    config: scope.resolve<ExperimentConfig>(TOKENS.Config),
    registry: scope.resolve<PluginRegistry>(TOKENS.RunRegistry),
    reporter: scope.resolve<Reporter>(TOKENS.Reporter),
    loggers: scope.resolve<LoggerFactory[]>(TOKENS.Loggers),
    selectBackend: scope.resolve<BackendSelector>(TOKENS.Backend),
  };
}
