// tsyringe needs the Reflect metadata polyfill loaded before it; the root is where tsyringe comes in,
// so the library entry (index.ts) and the bin (main.ts) both get the polyfill first.
import 'reflect-metadata';
import { container as globalContainer, type DependencyContainer } from 'tsyringe';
import { addPrecompiledValidators, PluginRegistry, TOKENS } from '@anneal/core';
import { schedules as stepSchedules } from '@anneal/schedule-step';
import { schedules as cosineSchedules } from '@anneal/schedule-cosine-warmup';
import { schedules as cyclicalSchedules } from '@anneal/schedule-cyclical';
import { schedules as timmSchedules } from '@anneal/schedule-timm';
import { builtinLoggers, datasets, models } from '@anneal/trainer/plugins';
import type { BackendSelector } from '@anneal/trainer';
import { launcherFactories } from './launchers.ts';
import { precompiledValidators } from './precompiled-validators.ts';
import { createReporter, type Reporter } from './reporter.ts';

/** Built-in plugins, registered here and only here (no registration as an import side effect). */
export function builtinRegistry(): PluginRegistry {
  const registry = new PluginRegistry();
  const groups = [
    ['@anneal/schedule-step', stepSchedules],
    ['@anneal/schedule-cosine-warmup', cosineSchedules],
    ['@anneal/schedule-cyclical', cyclicalSchedules],
    ['@anneal/schedule-timm', timmSchedules],
    ['@anneal/trainer', [...datasets, ...models]],
  ] as const;
  for (const [source, plugins] of groups) for (const plugin of plugins) registry.register(plugin, source);
  return registry;
}

/** tfjs is loaded only when a run asks for its backend (light commands never load it). */
const selectBackend: BackendSelector = async (request) => (await import('@anneal/trainer')).selectBackend(request);

/**
 * The composition root: one container per process; each run and each sweep trial takes a child
 * (see `runScope`), where a test or a program embedding anneal replaces a piece — an extra logger,
 * a fake launcher, another backend selector — by registering it under the same token.
 */
export function createRoot(options: { reporter?: Reporter } = {}): DependencyContainer {
  // Built into the bin, the built-in schemas come compiled (an empty table from sources).
  addPrecompiledValidators(precompiledValidators);
  const root = globalContainer.createChildContainer();
  root.register(TOKENS.Registry, { useValue: builtinRegistry() });
  root.register(TOKENS.Reporter, { useValue: options.reporter ?? createReporter() });
  root.register(TOKENS.Loggers, { useValue: builtinLoggers });
  root.register(TOKENS.Backend, { useValue: selectBackend });
  root.register(TOKENS.Launchers, { useValue: launcherFactories });
  return root;
}
