import type { DependencyContainer } from 'tsyringe';
import { editorSchema, TOKENS } from '@anneal/core';
import { registryFor } from '../load.ts';
import type { Reporter } from '../reporter.ts';

/** `exp schema [--config FILE]`: the JSON Schema for experiment files, with every registered plugin's options (and a config's own plugins). */
export async function schema(container: DependencyContainer, options: { config?: string } = {}): Promise<void> {
  const registry = await registryFor(container, options.config);
  container.resolve<Reporter>(TOKENS.Reporter).out(JSON.stringify(editorSchema(registry), null, 2));
}
