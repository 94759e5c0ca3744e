import type { Issue } from './errors.ts';
import { isPlainObject } from './paths.ts';

/** How YAML spells the numbers JSON cannot hold, so a message shows what the user wrote. */
export function showNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (value === Infinity) return '.inf';
  if (value === -Infinity) return '-.inf';
  return String(value);
}

/**
 * Every `.inf`, `-.inf` and `.nan` in a config. JSON Schema has no word for them and ajv's
 * `integer` lets Infinity through, so they are found here, before the schema, and named at
 * their own key (not at whatever later stage they would break).
 */
export function nonFiniteNumbers(data: unknown, path = ''): Issue[] {
  if (typeof data === 'number')
    return Number.isFinite(data)
      ? []
      : [
          {
            path,
            message: `${showNumber(data)} is not a finite number`,
            hint: 'every number in a config must be finite; write the value itself',
          },
        ];
  if (Array.isArray(data)) return data.flatMap((item, i) => nonFiniteNumbers(item, path ? `${path}.${i}` : String(i)));
  if (isPlainObject(data))
    return Object.entries(data).flatMap(([key, value]) => nonFiniteNumbers(value, path ? `${path}.${key}` : key));
  return [];
}
