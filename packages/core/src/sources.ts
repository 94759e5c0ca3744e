import type { Location } from './errors.ts';
import { isPlainObject } from './paths.ts';

/**
 * Where each value of a config was written, by dotted path. `key` is where the key itself
 * stands (for "unknown key" messages), `value` where its value starts.
 */
export type Sources = Map<string, { key?: Location; value: Location }>;

/** The location of `path`, or of its nearest ancestor that has one (a missing key is reported at its parent). */
export function locate(sources: Sources, path: string, which: 'key' | 'value' = 'value'): Location | undefined {
  for (let p = path; ; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const entry = sources.get(p);
    if (entry) return (which === 'key' && entry.key) || entry.value;
    if (p === '') return undefined;
  }
}

/** Every dotted path in `data`, parents before children. */
export function* walkPaths(data: unknown, prefix = ''): Generator<string> {
  if (prefix) yield prefix;
  if (Array.isArray(data)) {
    for (let i = 0; i < data.length; i++) yield* walkPaths(data[i], prefix ? `${prefix}.${i}` : String(i));
  } else if (isPlainObject(data)) {
    for (const key of Object.keys(data)) yield* walkPaths(data[key], prefix ? `${prefix}.${key}` : key);
  }
}
