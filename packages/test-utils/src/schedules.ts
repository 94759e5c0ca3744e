/**
 * Helpers for the schedule packages' tests: a dev dependency of each, never imported by their
 * code, so the schedules themselves still depend on @anneal/core alone.
 */
import { expect } from 'vitest';
import {
  buildSchedule,
  definePlugin,
  PluginRegistry,
  type PluginDefinition,
  type Schedule,
  type ScheduleContext,
  type ScheduleSpec,
} from '@anneal/core';

/**
 * Relative comparison; the absolute floor only matters for rates within a few ulps of zero
 * (e.g. 1 + cos(π) cancelling), where a relative error is meaningless.
 */
export function expectClose(actual: number, expected: number, label = '', rel = 1e-12, abs = 1e-15): void {
  const ok = Math.abs(actual - expected) <= rel * Math.max(Math.abs(actual), Math.abs(expected)) + abs;
  if (!ok) expect.fail(`${label}: got ${actual}, expected ${expected} (rel ${rel})`);
}

/** A schedule context; `schedule()` throws unless a test provides one. */
export function scheduleCtx(base: number, total: number, schedule?: ScheduleContext['schedule']): ScheduleContext {
  return {
    base,
    total,
    unit: 'step',
    stepsPerEpoch: 1,
    schedule:
      schedule ??
      (() => {
        throw new Error('no nested schedules in this test');
      }),
  };
}

/** t = 0, T−1, T, T+1, far beyond, and b−1, b, b+1 around every boundary b; sorted, non-negative. */
export function probeTimes(boundaries: number[], total: number): number[] {
  const ts = new Set<number>([0, 1, total - 1, total, total + 1, 3 * total + 7]);
  for (const b of boundaries) for (const t of [b - 1, b, b + 1]) ts.add(t);
  return [...ts].filter((t) => t >= 0).sort((a, b) => a - b);
}

/** Schema defaults of the top-level options, as ajv's useDefaults would fill them. */
export function withDefaults(schema: unknown, options: Record<string, unknown>): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { default?: unknown }> }).properties ?? {};
  const filled: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(props)) if (prop.default !== undefined) filled[key] = prop.default;
  return { ...filled, ...options };
}

/** Create a schedule straight from its plugin, with schema defaults filled in as core would (no validation). */
export function create(
  plugin: PluginDefinition<'schedule', any, Schedule, ScheduleContext>,
  options: object,
  ctx: ScheduleContext,
): Schedule {
  return plugin.create(withDefaults(plugin.schema, options as Record<string, unknown>), ctx);
}

export function assertPhases(schedule: Schedule): void {
  expect(schedule.phases[0]?.start).toBe(0);
  for (let i = 1; i < schedule.phases.length; i++)
    expect(schedule.phases[i].start).toBeGreaterThan(schedule.phases[i - 1].start);
}

/** Each plugin's schema is strict and documented, as `exp plugins` and the editor schema rely on. */
export function expectDocumentedSchema(plugin: { name: string; description: string; schema: unknown }): void {
  const schema = plugin.schema as {
    type?: string;
    additionalProperties?: unknown;
    properties?: Record<string, { description?: string }>;
  };
  expect(plugin.description.length, plugin.name).toBeGreaterThan(20);
  expect(schema.type, plugin.name).toBe('object');
  expect(schema.additionalProperties, plugin.name).toBe(false);
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    expect(prop.description, `${plugin.name}.${key}`).toBeTruthy();
    // `exp plugins schedule` names each option's upstream counterpart in brackets (issue 13).
    expect(prop.description, `${plugin.name}.${key} names its upstream option`).toMatch(upstreamReference);
  }
}

/** A bracketed reference to the option's upstream name: "(PyTorch step_size)", "(… Keras decay_steps)"… */
const upstreamReference = /\([^)]*\b(PyTorch|Keras|optax|timm|warm-up\/hold\/cosine)\b/;

/** The issue paths core reports for a spec, or [] when it builds. */
export function issuePaths(build: () => unknown): string[] {
  try {
    build();
    return [];
  } catch (error) {
    return ((error as { issues?: { path: string }[] }).issues ?? []).map((i) => i.path);
  }
}

/** Build specs through core exactly as a config would (by default 10 steps an epoch, 100 in the run, base 0.1). */
export function coreBuilder(
  schedules: readonly PluginDefinition<'schedule', any, any, any>[],
  env: { base?: number; runTotal?: number; stepsPerEpoch?: number } = {},
): (spec: ScheduleSpec) => Schedule {
  const registry = new PluginRegistry();
  for (const plugin of schedules) registry.register(plugin);
  const { base = 0.1, runTotal = 100, stepsPerEpoch = 10 } = env;
  return (spec) => buildSchedule(spec, { registry, base, unit: 'step', stepsPerEpoch, runTotal });
}

/**
 * A schedule that cycles the momentum (0.9 − t/1000) at a constant rate, for the wrappers' tests:
 * whether `noise`, `product`… pass a nested cycle_momentum on, without depending on schedule-cyclical.
 */
export const momentumCycler = definePlugin({
  kind: 'schedule',
  name: 'momentum-cycler',
  description: 'The base rate; momentum 0.9 − t/1000 (test plugin)',
  schema: { type: 'object', additionalProperties: false, properties: { cycleMomentum: { type: 'boolean' } } },
  create: (o: { cycleMomentum?: boolean }, ctx: ScheduleContext): Schedule => ({
    at: () => ctx.base,
    phases: [{ name: 'cycler', start: 0 }],
    ...(o.cycleMomentum ? { momentum: (t: number) => 0.9 - t / 1000 } : {}),
  }),
});
