import { parse } from 'yaml';
import { AnnealError } from './errors.ts';
import { switchSection } from './compose.ts';
import { isForbiddenKey, limits } from './limits.ts';
import { isPlainObject, parsePath, type Path } from './paths.ts';
import { walkPaths } from './sources.ts';
import { suggestionHint } from './suggest.ts';
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
    value = parse(text.slice(eq + 1), { maxAliasCount: limits.aliases });
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

function pathError(o: Override, message: string, hint: string): AnnealError {
  return new AnnealError('OVERRIDE_PATH', `override \`${o.text}\`: ${message}`, { hint });
}

/** Refuse prototype keys anywhere in the path or in the value it sets (they would reach Object.prototype). */
function checkKeys(o: Override, keys: Path): void {
  const bad = [...keys, ...[...walkPaths(o.value)].map((p) => p.slice(p.lastIndexOf('.') + 1))].find(isForbiddenKey);
  if (bad !== undefined)
    throw pathError(o, `\`${bad}\` cannot be a key`, '`__proto__`, `constructor` and `prototype` are not config keys');
}

/**
 * The index `key` into list `node` at `at`: an existing item, or (when setting) the next one.
 * Larger indexes would make a sparse list (or, past 2³²−2, a plain property that is lost).
 */
function listIndex(o: Override, node: unknown[], key: string | number, at: string, appending: boolean): number {
  if (typeof key !== 'number')
    throw pathError(o, `\`${at}\` is a list; \`${key}\` is not an index`, `use a number from 0 to ${node.length - 1}`);
  const end = appending ? node.length : node.length - 1;
  if (key > end) {
    if (key >= limits.listLength)
      throw new AnnealError('CONFIG_LIMIT', `override \`${o.text}\`: index ${key} is past the list limit`, {
        hint: `lists hold at most ${limits.listLength} items (docs/config.md#limits)`,
      });
    throw pathError(
      o,
      `index ${key} is past the end of \`${at}\` (${node.length} item${node.length === 1 ? '' : 's'})`,
      appending ? `use an index from 0 to ${end} (${end} appends), or set the whole list` : `use 0 to ${end}`,
    );
  }
  return key;
}

/** Remove `keys` from `data`, or say which part of the path does not exist (with a did-you-mean). */
function removePath(data: Record<string, unknown>, keys: Path, o: Override): void {
  let node: unknown = data;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const at = keys.slice(0, i).join('.');
    const here = keys.slice(0, i + 1).join('.');
    if (Array.isArray(node)) {
      const index = listIndex(o, node, key, at, false);
      if (i === keys.length - 1) node.splice(index, 1);
      else node = node[index];
    } else if (isPlainObject(node) && Object.hasOwn(node, key)) {
      if (i === keys.length - 1) delete node[key];
      else node = node[key];
    } else {
      const siblings = isPlainObject(node) ? Object.keys(node).map((k) => (at ? `${at}.${k}` : k)) : [];
      throw pathError(
        o,
        `there is no key \`${here}\` to remove`,
        siblings.length
          ? suggestionHint(here, siblings, at ? `keys in \`${at}\`` : 'top-level keys')
          : `\`${at}\` is ${JSON.stringify(node)}, not a mapping`,
      );
    }
  }
}

/** Set `keys` to `value`, making mappings on the way; list indexes must exist (or append). */
function setPath(data: Record<string, unknown>, keys: Path, o: Override): void {
  let node: any = data;
  for (let i = 0; i < keys.length - 1; i++) {
    const key = Array.isArray(node) ? listIndex(o, node, keys[i], keys.slice(0, i).join('.'), true) : keys[i];
    if (!isPlainObject(node[key]) && !Array.isArray(node[key])) node[key] = {};
    node = node[key];
  }
  const at = keys.slice(0, -1).join('.');
  const last = Array.isArray(node) ? listIndex(o, node, keys[keys.length - 1], at, true) : keys[keys.length - 1];
  if (keys.length === 2 && last === 'name') {
    // `schedule.name=step` switches plugin: the old plugin's options go, as with `extends`.
    const section = switchSection(String(keys[0]), node, o.value) as Record<string, unknown>;
    for (const k of Object.keys(node)) if (!(k in section)) delete node[k];
  }
  node[last] = o.value;
}

/**
 * Apply overrides in order; values they set are located at the command line. `exp run`, `exp
 * validate` and every sweep trial come through here, so a path means the same everywhere.
 */
export function applyOverrides(layer: YamlFile, overrides: Override[]): YamlFile {
  const data = structuredClone(layer.data) as Record<string, unknown>;
  const sources = new Map(layer.sources);
  for (const o of overrides) {
    const keys = parsePath(o.path);
    checkKeys(o, keys);
    if (o.remove) removePath(data, keys, o);
    else setPath(data, keys, o);
    for (const p of [...sources.keys()]) if (p === o.path || p.startsWith(`${o.path}.`)) sources.delete(p);
    if (o.remove) continue;
    const where = { value: { file: '<command line>', override: o.text } };
    sources.set(o.path, where);
    for (const p of walkPaths(o.value, o.path)) sources.set(p, where);
  }
  return { ...layer, data, sources };
}
