import { AnnealError } from './errors.ts';
import { pluginKinds, type Plugin, type PluginDefinition, type PluginKind } from './plugin.ts';
import { suggestionHint } from './suggest.ts';

const NAME = /^[a-z][a-z0-9-]*$/;

/** Why a value is not a plugin definition, or undefined when it is one (checked at registration, as fastify does). */
export function shapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null)
    return 'the default export is not an object made by definePlugin(...)';
  const p = value as Record<string, unknown>;
  if (!pluginKinds.includes(p.kind as PluginKind))
    return `\`kind\` must be one of ${pluginKinds.join(', ')} (got ${JSON.stringify(p.kind)})`;
  if (typeof p.name !== 'string' || !NAME.test(p.name))
    return `\`name\` must be a lower-case name like "my-schedule" (got ${JSON.stringify(p.name)})`;
  if (typeof p.description !== 'string' || !p.description) return '`description` must be a non-empty string';
  if (typeof p.schema !== 'object' || p.schema === null) return '`schema` must be a JSON Schema object';
  if (typeof p.create !== 'function') return '`create` must be a function';
  return undefined;
}

/** Every plugin known to a run, by kind and name. A child registry adds a run's own plugins. */
export class PluginRegistry {
  private readonly plugins = new Map<string, Plugin>();

  constructor(private readonly parent?: PluginRegistry) {}

  register(definition: PluginDefinition<any, any, any, any>, source = 'built-in'): void {
    const problem = shapeProblem(definition);
    if (problem) throw new AnnealError('PLUGIN_SHAPE', `plugin from ${source} has a bad shape: ${problem}`);
    const existing = this.find(definition.kind, definition.name);
    if (existing) {
      throw new AnnealError(
        'PLUGIN_DUPLICATE',
        `${definition.kind} plugin "${definition.name}" from ${source} clashes with the one from ${existing.source}`,
      );
    }
    this.plugins.set(`${definition.kind}:${definition.name}`, { ...definition, source });
  }

  find(kind: PluginKind, name: string): Plugin | undefined {
    return this.plugins.get(`${kind}:${name}`) ?? this.parent?.find(kind, name);
  }

  get(kind: PluginKind, name: string): Plugin {
    const plugin = this.find(kind, name);
    if (!plugin) {
      throw new AnnealError('PLUGIN_UNKNOWN', `unknown ${kind} "${name}"`, {
        hint: suggestionHint(name, this.names(kind), `${kind}s`),
      });
    }
    return plugin;
  }

  list(kind?: PluginKind): Plugin[] {
    const all = [...(this.parent?.list(kind) ?? []), ...this.plugins.values()];
    return all
      .filter((p) => !kind || p.kind === kind)
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  }

  names(kind: PluginKind): string[] {
    return this.list(kind).map((p) => p.name);
  }

  child(): PluginRegistry {
    return new PluginRegistry(this);
  }
}
