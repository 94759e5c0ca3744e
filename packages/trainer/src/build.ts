import { AnnealError, expCommand, type PluginRegistry } from '@anneal/core';

/**
 * Create the run's dataset or model from its config section; a plugin that throws is reported
 * with its name and source file (as a run failure: the config itself was valid).
 */
export async function createPlugin<T>(
  registry: PluginRegistry,
  kind: 'dataset' | 'model',
  section: { name: string } | undefined,
  ctx: object,
  command: string,
): Promise<T> {
  if (!section)
    throw new AnnealError(
      'CONFIG_INVALID',
      `\`${command}\` needs a \`${kind === 'dataset' ? 'data' : 'model'}:\` section`,
      { hint: `see \`exp plugins ${kind}\`` },
    );
  const plugin = registry.get(kind, section.name);
  const { name: _, ...options } = section;
  try {
    return (await plugin.create(options, ctx)) as T;
  } catch (error) {
    // A plugin's own AnnealError (a DATA problem in a csv file, say) keeps its code and hint.
    const own = error instanceof AnnealError ? error : undefined;
    throw new AnnealError(
      own?.code ?? 'RUN_FAILED',
      `${kind} plugin \`${plugin.name}\` (${plugin.source}) failed: ${(error as Error)?.message ?? error}`,
      {
        cause: error,
        issues: own?.issues,
        hint:
          own?.hint ??
          `the ${kind} plugin threw; check its options (\`${expCommand(`plugins ${kind}`)}\`) or the plugin`,
      },
    );
  }
}
