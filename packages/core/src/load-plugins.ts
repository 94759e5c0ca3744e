import { fileURLToPath } from 'node:url';
import { AnnealError, type Issue } from './errors.ts';
import type { PluginRegistry } from './registry.ts';
import { locate, type Sources } from './sources.ts';

/**
 * Load the config's `plugins:` (files, already absolute, or package names) into a run's registry.
 * jiti loads `.ts` without a build step. A module may default-export one plugin or a list.
 */
export async function loadUserPlugins(
  specs: unknown,
  registry: PluginRegistry,
  configFile: string,
  sources: Sources,
): Promise<Issue[]> {
  if (!Array.isArray(specs) || specs.length === 0) return [];
  // jiti costs ~0.1 s of CPU to import: only configs that list plugins pay for it (start-up, docs/benchmarks.md).
  const { createJiti } = await import('jiti');
  // A plugin imports `definePlugin` from @anneal/core wherever it lives: give it this very copy.
  // From sources that is ./index.ts; installed, this code is bundled into dist/index.js itself.
  const self = fileURLToPath(import.meta.url);
  const alias = { '@anneal/core': self.endsWith('.ts') ? fileURLToPath(new URL('./index.ts', import.meta.url)) : self };
  const jiti = createJiti(configFile, { interopDefault: true, moduleCache: true, alias });
  const issues: Issue[] = [];
  for (const [i, spec] of specs.entries()) {
    if (typeof spec !== 'string') continue;
    const path = `plugins.${i}`;
    const location = locate(sources, path);
    let exported: unknown;
    try {
      exported = await jiti.import(spec, { default: true });
    } catch (error) {
      issues.push({ path, location, ...loadFailure(spec, (error as Error)?.message ?? String(error)) });
      continue;
    }
    for (const plugin of Array.isArray(exported) ? exported : [exported]) {
      try {
        registry.register(plugin, spec);
      } catch (error) {
        if (!(error instanceof AnnealError)) throw error;
        issues.push({
          path,
          location,
          message: error.message,
          hint:
            error.code === 'PLUGIN_SHAPE'
              ? 'export default definePlugin({ kind, name, description, schema, create })'
              : 'rename one of the two plugins',
        });
      }
    }
  }
  return issues;
}

/**
 * Why a plugin did not load. "Cannot find module X" names X: when X is the plugin itself the
 * plugin is missing; when it is something the plugin imports, the plugin is there but its
 * dependency is not, and saying "plugin not found" would send the user looking in the wrong place.
 */
function loadFailure(spec: string, message: string): { message: string; hint: string } {
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
  if (missing === spec || (missing === undefined && /ENOENT/.test(message) && message.includes(spec)))
    return {
      message: `plugin not found: ${spec}`,
      hint: 'paths are relative to the config file that lists them; packages must be installed',
    };
  if (missing !== undefined)
    return {
      message: `plugin ${spec} failed to load: it imports \`${missing}\`, which cannot be found`,
      hint: missing.startsWith('.')
        ? `check the import path in ${spec} (relative to that file)`
        : `install it where the config runs (npm install ${missing.startsWith('@') ? missing.split('/').slice(0, 2).join('/') : missing.split('/')[0]})`,
    };
  return {
    message: `plugin ${spec} failed to load: ${message.split('\n')[0]}`,
    hint: 'fix the error in the plugin file; run with --debug for the stack',
  };
}
