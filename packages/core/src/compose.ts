import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { AnnealError } from './errors.ts';
import { isPlainObject } from './paths.ts';
import { walkPaths, type Sources } from './sources.ts';
import { readYamlFile, type YamlFile } from './yaml-file.ts';

/** Objects merge key by key, later wins; lists and scalars replace (Hydra and Keras users expect this). */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = key in base ? deepMerge(base[key], value) : value;
  return out;
}

/**
 * Sections whose options belong to the plugin (or optimizer) named by `name`. When a later layer
 * names a different one, the earlier layer's options for the old one are dropped (as a Hydra
 * config group is swapped), keeping only anneal's own keys such as `unit` or `learningRate`.
 */
const switchable: Record<string, string[]> = {
  data: [],
  model: [],
  schedule: ['unit', 'reduceOnPlateau'],
  optimizer: ['learningRate'],
};

export function switchSection(key: string, base: unknown, newName: unknown): unknown {
  const keep = switchable[key];
  if (!keep || !isPlainObject(base) || newName === undefined || base.name === newName) return base;
  return Object.fromEntries(Object.entries(base).filter(([k]) => keep.includes(k)));
}

/** `deepMerge` for whole configs: a section switched to another plugin starts from its kept keys. */
export function mergeConfigs(base: unknown, over: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const from = isPlainObject(value) ? switchSection(key, base[key], value.name) : base[key];
    out[key] = key in base ? deepMerge(from, value) : value;
  }
  return out;
}

/** Sources for merged data: a path written by the later layer is located there, else in the earlier one. */
function mergeSources(merged: unknown, base: Sources, over: Sources): Sources {
  const out: Sources = new Map();
  for (const path of ['', ...walkPaths(merged)]) {
    const entry = over.get(path) ?? base.get(path);
    if (entry) out.set(path, entry);
  }
  return out;
}

/** A relative plugin path is relative to the file that names it, so it survives `extends`. */
function resolvePluginPaths(layer: YamlFile): void {
  const data = layer.data as Record<string, unknown>;
  if (!Array.isArray(data.plugins)) return;
  data.plugins = data.plugins.map((p) =>
    typeof p === 'string' && (p.startsWith('.') || isAbsolute(p)) ? resolve(dirname(layer.file), p) : p,
  );
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Load a config file and everything it `extends:`, merged into one layer. */
export function composeFile(file: string, seen: string[] = []): YamlFile {
  const path = resolve(file);
  if (seen.includes(path)) {
    throw new AnnealError('CONFIG_EXTENDS', `\`extends\` forms a cycle: ${[...seen, path].join(' → ')}`);
  }
  const layer = readYamlFile(path);
  if (!isPlainObject(layer.data)) {
    throw new AnnealError('CONFIG_INVALID', `${path} must hold a mapping of keys (name:, optimizer:, schedule:, …)`, {
      issues: [{ path: '', message: 'expected a mapping at the top level', location: { file: path, line: 1, col: 1 } }],
    });
  }
  resolvePluginPaths(layer);
  const { extends: parents, ...own } = layer.data;
  if (parents === undefined) return { ...layer, data: own };
  const list = Array.isArray(parents) ? parents : [parents];
  let acc: YamlFile | undefined;
  list.forEach((parent, i) => {
    const where = layer.sources.get(Array.isArray(parents) ? `extends.${i}` : 'extends')?.value;
    if (typeof parent !== 'string') {
      throw new AnnealError('CONFIG_EXTENDS', '`extends` takes a file path or a list of them', {
        issues: [{ path: 'extends', message: `expected a string, got ${JSON.stringify(parent)}`, location: where }],
      });
    }
    const parentPath = resolve(dirname(path), parent);
    let loaded: YamlFile;
    try {
      loaded = composeFile(parentPath, [...seen, path]);
    } catch (error) {
      if (error instanceof AnnealError && error.code === 'CONFIG_NOT_FOUND') {
        const directory = isDirectory(parentPath);
        throw new AnnealError('CONFIG_EXTENDS', `\`extends\` names a file that cannot be read: ${parentPath}`, {
          issues: [
            {
              path: 'extends',
              message: directory ? `${parent} is a directory, not a file` : `no such file: ${parent}`,
              location: where,
            },
          ],
          hint: directory
            ? 'name the YAML file inside the directory, e.g. ./dir/base.yaml'
            : 'paths in `extends` are relative to the file that names them',
        });
      }
      throw error;
    }
    acc = acc ? mergeLayers(acc, loaded) : loaded;
  });
  return mergeLayers(acc!, { ...layer, data: own });
}

export function mergeLayers(base: YamlFile, over: YamlFile): YamlFile {
  const data = mergeConfigs(base.data, over.data);
  return { file: over.file, data, sources: mergeSources(data, base.sources, over.sources) };
}
