import { parse } from 'yaml';
import { AnnealError } from './errors.ts';
import { switchSection } from './compose.ts';
import { isPlainObject, parsePath } from './paths.ts';
import { walkPaths } from './sources.ts';
import type { YamlFile } from './yaml-file.ts';

export interface Override {
  /** The argument as typed, for messages. */
  text: string;
  path: string;
  /** `~key` removes a key. */
  remove: boolean;
  value?: unknown;
}

/** `key.path=value` (the value is YAML, so `[128, 64]` and `1e-3` work) or `~key.path`. */
export function parseOverride(text: string): Override {
  if (text.startsWith('~')) {
    const path = text.slice(1);
    if (!/^[\w-]+(\.[\w-]+)*$/.test(path)) throw badOverride(text);
    return { text, path, remove: true };
  }
  const eq = text.indexOf('=');
  const path = text.slice(0, eq);
  if (eq <= 0 || !/^[\w-]+(\.[\w-]+)*$/.test(path)) throw badOverride(text);
  let value: unknown;
  try {
    value = parse(text.slice(eq + 1));
  } catch (error) {
    throw new AnnealError(
      'OVERRIDE_SYNTAX',
      `override \`${text}\`: the value is not valid YAML (${(error as Error).message.split('\n')[0]})`,
      {
        hint: 'quote strings that contain YAML syntax, e.g. key="a: b"',
      },
    );
  }
  return { text, path, remove: false, value: value ?? null };
}

function badOverride(text: string): AnnealError {
  return new AnnealError('OVERRIDE_SYNTAX', `\`${text}\` is not an override`, {
    hint: 'write `key.path=value` (e.g. schedule.warmup=5) or `~key.path` to remove a key',
  });
}

/** Apply overrides in order; values they set are located at the command line. */
export function applyOverrides(layer: YamlFile, overrides: Override[]): YamlFile {
  const data = structuredClone(layer.data) as Record<string, unknown>;
  const sources = new Map(layer.sources);
  for (const o of overrides) {
    const keys = parsePath(o.path);
    let node: any = data;
    for (const key of keys.slice(0, -1)) {
      if (!isPlainObject(node[key]) && !Array.isArray(node[key])) {
        if (o.remove) break;
        node[key] = {};
      }
      node = node[key];
    }
    const last = keys[keys.length - 1];
    for (const p of [...sources.keys()]) if (p === o.path || p.startsWith(`${o.path}.`)) sources.delete(p);
    if (o.remove) {
      if (node && typeof node === 'object') delete node[last];
      continue;
    }
    if (keys.length === 2 && last === 'name') {
      // `schedule.name=step` switches plugin: the old plugin's options go, as with `extends`.
      const section = switchSection(String(keys[0]), node, o.value) as Record<string, unknown>;
      for (const k of Object.keys(node)) if (!(k in section)) delete node[k];
    }
    node[last] = o.value;
    const where = { value: { file: '<command line>', override: o.text } };
    sources.set(o.path, where);
    for (const p of walkPaths(o.value, o.path)) sources.set(p, where);
  }
  return { ...layer, data, sources };
}
