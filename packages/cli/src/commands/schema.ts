import type { DependencyContainer } from 'tsyringe';
import { editorSchema, TOKENS, type PluginRegistry } from '@anneal/core';
import type { Reporter } from '../reporter.ts';

/** `exp schema`: the JSON Schema for experiment files, with every registered plugin's options. */
export function schema(container: DependencyContainer): void {
  const registry = container.resolve<PluginRegistry>(TOKENS.Registry);
  container.resolve<Reporter>(TOKENS.Reporter).out(JSON.stringify(editorSchema(registry), null, 2));
}
