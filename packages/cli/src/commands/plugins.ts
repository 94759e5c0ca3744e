import type { DependencyContainer } from 'tsyringe';
import { AnnealError, pluginKinds, TOKENS, type Plugin, type PluginKind } from '@anneal/core';
import { registryFor } from '../load.ts';
import type { Reporter } from '../reporter.ts';

function typeOf(schema: any): string {
  if (!schema) return 'any';
  if (schema['x-duration']) return 'duration';
  if (schema.enum) return schema.enum.join(' | ');
  if (schema.type === 'array') return `${typeOf(schema.items)}[]`;
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' | ');
  return Array.isArray(schema.type) ? schema.type.join(' | ') : (schema.type ?? 'any');
}

function describePlugin(plugin: Plugin): string[] {
  const schema = plugin.schema as any;
  const required = new Set<string>(schema.required ?? []);
  const rows = Object.entries<any>(schema.properties ?? {}).map(([key, s]) => [
    key,
    typeOf(s),
    required.has(key) ? 'required' : s.default === undefined ? '—' : JSON.stringify(s.default),
    s.description ?? '',
  ]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 0));
  const lines = [
    `${plugin.name} — ${plugin.description}${plugin.source.startsWith('@anneal/') ? '' : `  [${plugin.source}]`}`,
  ];
  for (const row of rows)
    lines.push(
      `    ${row
        .slice(0, 3)
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')}  ${row[3]}`,
    );
  if (rows.length === 0) lines.push('    (no options)');
  return lines;
}

/** `exp plugins [kind] [--config FILE]`: every plugin with its description and options. */
export async function plugins(
  container: DependencyContainer,
  kind: string | undefined,
  options: { config?: string },
): Promise<void> {
  if (kind !== undefined && !pluginKinds.includes(kind as PluginKind)) {
    throw new AnnealError('USAGE', `unknown plugin kind "${kind}"`, { hint: `one of: ${pluginKinds.join(', ')}` });
  }
  const registry = await registryFor(container, options.config);
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  for (const k of kind ? [kind as PluginKind] : pluginKinds) {
    reporter.out(`${k}s:`);
    for (const plugin of registry.list(k))
      reporter.out(
        describePlugin(plugin)
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    reporter.out('');
  }
}
