import type { Issue } from './errors.ts';
import { isPlainObject, joinPath } from './paths.ts';
import type { ScheduleUnit } from './schedule.ts';

export interface DurationEnv {
  unit: ScheduleUnit;
  stepsPerEpoch?: number;
  /** The whole run in `unit`, for percentages. */
  total: number;
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ep|st|%)$/;

/** `3ep` → epochs, `500st` → steps, `5%` → of the run, converted to the schedule's unit. */
export function parseDuration(text: string, env: DurationEnv): { value?: number; problem?: string; rounded?: boolean } {
  const m = DURATION.exec(text.trim());
  if (!m) return { problem: `"${text}" is not a duration` };
  const n = Number(m[1]);
  let exact: number;
  if (m[2] === '%') exact = (n / 100) * env.total;
  else if (m[2] === (env.unit === 'epoch' ? 'ep' : 'st')) exact = n;
  else if (!env.stepsPerEpoch)
    return { problem: `"${text}" needs the number of steps per epoch, which is unknown here` };
  else exact = m[2] === 'ep' ? n * env.stepsPerEpoch : n / env.stepsPerEpoch;
  const value = Math.round(exact);
  return { value, rounded: Math.abs(value - exact) > 1e-9 };
}

/**
 * Replace duration strings by integers wherever the schema marks a property `x-duration`,
 * before ajv sees the options. Returns problems as issues; `warnings` note rounding.
 */
export function resolveDurations(
  schema: any,
  value: unknown,
  env: DurationEnv,
  path: string,
  out: { errors: Issue[]; warnings: Issue[] },
): unknown {
  if (!schema || typeof schema !== 'object') return value;
  if (schema['x-duration'] && typeof value === 'string') {
    const r = parseDuration(value, env);
    if (r.problem) {
      out.errors.push({
        path,
        message: r.problem,
        hint: 'write an integer count of the schedule unit, or 3ep (epochs), 500st (steps), 5% (of the run)',
      });
      return value;
    }
    if (r.rounded)
      out.warnings.push({ path, message: `"${value}" is not a whole number of ${env.unit}s; rounded to ${r.value}` });
    return r.value;
  }
  if (isPlainObject(value) && schema.properties) {
    const copy: Record<string, unknown> = { ...value };
    for (const [key, sub] of Object.entries(schema.properties)) {
      if (key in copy) copy[key] = resolveDurations(sub, copy[key], env, joinPath(path, key), out);
    }
    return copy;
  }
  if (Array.isArray(value) && schema.items) {
    return value.map((item, i) => resolveDurations(schema.items, item, env, joinPath(path, String(i)), out));
  }
  return value;
}

/** The editor schema accepts `3ep`-style strings wherever a duration is allowed. */
export function widenDurations(schema: any): any {
  if (Array.isArray(schema)) return schema.map(widenDurations);
  if (!isPlainObject(schema)) return schema;
  if (schema['x-duration']) {
    const { 'x-duration': _, description, default: d, ...integer } = schema as Record<string, unknown>;
    return {
      description,
      ...(d !== undefined ? { default: d } : {}),
      anyOf: [integer, { type: 'string', pattern: DURATION.source }],
    };
  }
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, widenDurations(v)]));
}
