import { widenDurations } from './durations.ts';
import { experimentSchema, scheduleCommonKeys } from './experiment-schema.ts';
import { optimizerNames, optimizerSchema } from './optimizer-schema.ts';
import type { PluginKind } from './plugin.ts';
import type { PluginRegistry } from './registry.ts';

/** One `if name = X then X's options` branch per plugin, so editors complete the options of the chosen plugin. */
function branches(registry: PluginRegistry, kind: PluginKind, common: Record<string, unknown>) {
  return registry.list(kind).map((plugin) => {
    const schema = widenDurations(plugin.schema) as { properties?: Record<string, unknown>; required?: string[] };
    return {
      if: { properties: { name: { const: plugin.name } }, required: ['name'] },
      then: {
        description: plugin.description,
        properties: { ...common, ...schema.properties },
        required: schema.required ?? [],
        additionalProperties: false,
      },
    };
  });
}

/**
 * The JSON Schema that `exp schema` prints: the experiment schema with every registered
 * plugin's options, for yaml-language-server and other editors.
 */
export function editorSchema(registry: PluginRegistry): object {
  const schema = structuredClone(experimentSchema) as any;
  schema.$schema = 'http://json-schema.org/draft-07/schema#';
  // A file that `extends:` another may leave required keys to it, so an editor cannot demand them.
  delete schema.required;
  const p = schema.properties;
  p.$schema = { type: 'string' };
  const section = (key: string, kind: PluginKind, common: Record<string, unknown>) => {
    p[key].properties.name = { ...p[key].properties.name, enum: registry.names(kind) };
    p[key].allOf = branches(registry, kind, common);
  };
  section('data', 'dataset', { name: true });
  section('model', 'model', { name: true });
  const scheduleCommon = Object.fromEntries(scheduleCommonKeys.map((k) => [k, p.schedule.properties[k]]));
  section('schedule', 'schedule', scheduleCommon);
  p.optimizer.allOf = optimizerNames.map((name) => ({
    if: { properties: { name: { const: name } }, required: ['name'] },
    then: { ...optimizerSchema(name), properties: { ...(optimizerSchema(name) as any).properties, name: true } },
  }));
  return schema;
}
