import { createHash } from 'node:crypto';
import { isPlainObject } from '../paths.ts';

/** JSON with sorted keys, so equal configs serialise equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isPlainObject(value))
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/** A trial's id is a hash of its resolved config: the same point (and seed) always gets the same id. */
export function trialId(config: unknown): string {
  return `t-${createHash('sha256').update(canonicalJson(config)).digest('hex').slice(0, 10)}`;
}
