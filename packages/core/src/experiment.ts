import { applyOverrides, parseOverride } from './overrides.ts';
import { composeFile } from './compose.ts';
import { loadUserPlugins } from './load-plugins.ts';
import type { PluginRegistry } from './registry.ts';
import { validateExperiment, type ValidationResult } from './validate.ts';
import type { YamlFile } from './yaml-file.ts';

export interface LoadedExperiment extends ValidationResult {
  /** The composed layer (after `extends` and overrides) with its source positions. */
  layer: YamlFile;
  /** A child of the given registry holding the config's own plugins. */
  registry: PluginRegistry;
  overrides: string[];
}

/**
 * The whole front half: read → compose `extends` → apply overrides → load `plugins:` →
 * validate. Unreadable input throws an AnnealError; invalid input comes back as `errors`.
 */
export async function loadExperiment(
  file: string,
  overrides: string[],
  registry: PluginRegistry,
): Promise<LoadedExperiment> {
  const parsed = overrides.map(parseOverride);
  const layer = applyOverrides(composeFile(file), parsed);
  const runRegistry = registry.child();
  const pluginIssues = await loadUserPlugins(
    (layer.data as Record<string, unknown>).plugins,
    runRegistry,
    layer.file,
    layer.sources,
  );
  const result = validateExperiment({ data: layer.data, sources: layer.sources, file: layer.file }, runRegistry);
  // A plugin that failed to load also shows up as an unknown name; report the cause only.
  const cascade = /^unknown (schedule|dataset|model) /;
  const errors = [...pluginIssues, ...result.errors.filter((e) => !(pluginIssues.length && cascade.test(e.message)))];
  return errors.length
    ? { errors, warnings: result.warnings, layer, registry: runRegistry, overrides }
    : { ...result, layer, registry: runRegistry, overrides };
}
