import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import type { Issue } from './errors.ts';

export type PluginKind = 'schedule' | 'dataset' | 'model';
export const pluginKinds: readonly PluginKind[] = ['schedule', 'dataset', 'model'];

export type { JSONSchema };

/** What every plugin's `create` receives besides its options; each kind narrows it. */
export interface PluginContext {
  /** The seed of the run (datasets shuffle and split with it). */
  seed: number;
  /** Directory of the config file, for resolving relative paths in options. */
  configDir: string;
}

export interface PluginDefinition<K extends PluginKind = PluginKind, O = any, R = unknown, C = PluginContext> {
  kind: K;
  name: string;
  description: string;
  /** JSON Schema of the options: validation, defaults, docs and editor completion. */
  schema: JSONSchema;
  /** Cross-field rules that a schema cannot express; paths are relative to the options. */
  check?(options: O, ctx: C): Issue[];
  /** Datasets only: the number of training examples, computed without loading any tensors (sizes the `step` unit for `exp schedule`). */
  count?(options: O, ctx?: PluginContext): number;
  /** Datasets only: whether the run will have validation data (`val_*` metrics), known from the options. */
  hasValidation?(options: O): boolean;
  create(options: O, ctx: C): R;
}

/** A registered plugin also knows where it came from, to stamp errors with it. */
export type Plugin<K extends PluginKind = PluginKind> = PluginDefinition<K, any, unknown, any> & { source: string };

/**
 * Identity helper that infers the options type from the schema (as vite's defineConfig does
 * for config), so the schema stays the single source of truth.
 */
export function definePlugin<
  const S extends JSONSchema,
  K extends PluginKind,
  R,
  C = PluginContext,
  O = FromSchema<S>,
  const N extends string = string,
>(plugin: {
  kind: K;
  name: N;
  description: string;
  schema: S;
  check?(options: O, ctx: C): Issue[];
  count?(options: O, ctx?: PluginContext): number;
  hasValidation?(options: O): boolean;
  create(options: O, ctx: C): R;
}): PluginDefinition<K, O, R, C> & { name: N } {
  // The literal name is kept in the type, so a list of plugins types `{ name, ...options }` (createSchedule).
  return plugin;
}

/**
 * The option that holds a nested schedule (`sequence`, `product`, `warmup`, `noise`): its
 * `name` and options as at the top level. Only the name is checked here; the options are
 * checked against the named plugin's own schema when `ctx.schedule` builds it, with its path.
 */
export function nestedScheduleSchema<const D extends string>(description: D) {
  return {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string' } },
    additionalProperties: true,
    description,
  } as const;
}

/**
 * A duration option: an integer count of the schedule's unit, or a string with a unit —
 * `3ep` (epochs), `500st` (steps), `5%` (of the run). Core turns strings into integers before
 * validation, so plugins only ever see integers.
 */
export function duration<const D extends string>(description: D, extra: { minimum?: number; default?: number } = {}) {
  return {
    type: 'integer',
    minimum: extra.minimum ?? 0,
    description,
    'x-duration': true,
    ...(extra.default !== undefined ? { default: extra.default } : {}),
  } as const;
}

/**
 * A schema property naming a file. A relative value is resolved against the config file's
 * directory during validation, and the resolved config holds it absolute (docs/plugins.md).
 */
export function filePath<const D extends string>(description: D) {
  return { type: 'string', minLength: 1, description, 'x-path': true } as const;
}
