import { validateAgainst } from './ajv.ts';
import { AnnealError, type Issue } from './errors.ts';
import { resolveDurations } from './durations.ts';
import { joinPath } from './paths.ts';
import type { PluginRegistry } from './registry.ts';
import type { Schedule, ScheduleContext, ScheduleSpec, ScheduleUnit } from './schedule.ts';
import { scheduleCommonKeys } from './experiment-schema.ts';
import { suggestionHint } from './suggest.ts';

export interface ScheduleEnv {
  registry: PluginRegistry;
  base: number;
  unit: ScheduleUnit;
  stepsPerEpoch?: number;
  /** The whole run in `unit`. */
  runTotal: number;
  /** Rounding notes and the like land here. */
  warnings?: Issue[];
  /**
   * Filled with the key path of the schedule whose momentum the result cycles (its own
   * `cycleMomentum`, or a nested one that a wrapper passes on), so a caller can point there.
   */
  momentumFrom?: string[];
}

/** Beyond this many samples a schedule is spot-checked rather than checked at every t. */
const FULL_CHECK = 200_000;

/**
 * Turn a `schedule:` spec into a Schedule: resolve durations, validate the options against the
 * plugin's schema (filling defaults), run its cross-field checks, create it, and make sure it
 * yields finite non-negative rates. Throws CONFIG_INVALID with every problem found.
 */
export function buildSchedule(
  spec: ScheduleSpec,
  env: ScheduleEnv,
  at: { path: string; total: number } = { path: 'schedule', total: env.runTotal },
): Schedule {
  const plugin = env.registry.find('schedule', spec.name);
  if (!plugin) {
    throw new AnnealError('CONFIG_INVALID', 'the schedule is not valid', {
      issues: [
        {
          path: joinPath(at.path, 'name'),
          message: `unknown schedule \`${spec.name}\``,
          hint: suggestionHint(spec.name, env.registry.names('schedule'), 'schedules'),
        },
      ],
    });
  }
  const top = at.path === 'schedule';
  const raw = Object.fromEntries(
    Object.entries(spec).filter(([k]) => !(top ? (scheduleCommonKeys as readonly string[]).includes(k) : k === 'name')),
  );
  const sink = { errors: [] as Issue[], warnings: env.warnings ?? [] };
  const options = resolveDurations(
    plugin.schema,
    raw,
    { unit: env.unit, stepsPerEpoch: env.stepsPerEpoch, total: env.runTotal },
    at.path,
    sink,
  ) as Record<string, unknown>;
  sink.errors.push(...validateAgainst(plugin.schema as object, options, at.path));
  const fail = (issues: Issue[]) => new AnnealError('CONFIG_INVALID', 'the schedule is not valid', { issues });
  if (sink.errors.length) throw fail(sink.errors);

  // Where each nested schedule that cycles the momentum sits, to tell whether this one passes it on.
  const momentumFrom = env.momentumFrom ?? [];
  const nestedFrom = momentumFrom.length;
  const ctx: ScheduleContext = {
    base: env.base,
    total: at.total,
    unit: env.unit,
    stepsPerEpoch: env.stepsPerEpoch ?? 1,
    schedule: (nested, where) =>
      buildSchedule(nested, { ...env, momentumFrom }, { path: joinPath(at.path, where.path), total: where.total }),
  };
  const checked = plugin.check?.(options, ctx) ?? [];
  if (checked.length) throw fail(checked.map((i) => ({ ...i, path: joinPath(at.path, i.path) })));

  let schedule: Schedule;
  try {
    schedule = plugin.create(options, ctx) as Schedule;
  } catch (error) {
    if (error instanceof AnnealError) throw error;
    throw fail([
      {
        path: at.path,
        message: `schedule plugin \`${plugin.name}\` (${plugin.source}) threw: ${(error as Error)?.message ?? error}`,
        hint: 'fix the options or the plugin; run with --debug for the stack',
      },
    ]);
  }
  if (!schedule || typeof schedule.at !== 'function') {
    throw fail([
      {
        path: at.path,
        message: `schedule plugin \`${plugin.name}\` (${plugin.source}) did not return { at(t), phases }`,
      },
    ]);
  }
  // A plugin's at() is user code: if it throws, say which plugin, from which file, at which t.
  const rate = (t: number) => {
    try {
      return schedule.at(t);
    } catch (error) {
      if (error instanceof AnnealError) throw error;
      const message = `schedule plugin \`${plugin.name}\` (${plugin.source}) threw at t=${t}: ${(error as Error)?.message ?? error}`;
      const hint = 'fix its at(t) for this t; run with --debug for the stack';
      throw new AnnealError('CONFIG_INVALID', 'the schedule is not valid', {
        issues: [{ path: at.path, message, hint }],
        cause: error,
      });
    }
  };
  const last = Math.max(at.total, 1);
  const probe =
    last <= FULL_CHECK
      ? Array.from({ length: last + 1 }, (_, t) => t)
      : Array.from({ length: 1001 }, (_, i) => Math.round((i * last) / 1000));
  for (const t of probe) {
    const lr = rate(t);
    if (!Number.isFinite(lr) || lr < 0) {
      throw fail([
        {
          path: at.path,
          message: `schedule \`${plugin.name}\` gives ${lr} at t=${t}; a learning rate must be a finite number ≥ 0`,
          hint: 'check its options',
        },
      ]);
    }
  }
  const phases = schedule.phases ?? [{ name: plugin.name, start: 0 }];
  const momentum = schedule.momentum?.bind(schedule);
  const nested = momentumFrom.splice(nestedFrom);
  const issue = momentumIssue(plugin.name, at.path, nested, momentum !== undefined);
  if (issue) throw fail([issue]);
  if (momentum) momentumFrom.push(nested[0] ?? at.path);
  return momentum ? { at: rate, phases, momentum } : { at: rate, phases };
}

/**
 * Only one schedule sets the momentum, and it must reach the optimizer: a wrapper that drops its
 * nested schedule's momentum (`sequence`, `warmup`) or gets two (`product` of two cyclers) is a
 * config error, not a silent choice. `nested` are the paths of the nested schedules that cycle it.
 */
function momentumIssue(name: string, path: string, nested: string[], cycles: boolean): Issue | undefined {
  const hint =
    'set `cycleMomentum` on the top-level schedule, or inside `noise` or `product` (which pass the momentum on), or turn it off';
  if (nested.length > 0 && !cycles)
    return {
      path: joinPath(nested[0], 'cycleMomentum'),
      message: `schedule \`${name}\` at ${path} does not pass on the momentum its nested schedule cycles`,
      hint,
    };
  if (nested.length > 1)
    return {
      path: joinPath(nested[1], 'cycleMomentum'),
      message: `only one schedule may cycle the momentum; ${nested[0]} already does`,
      hint: 'turn cycleMomentum off in all but one part',
    };
  return undefined;
}
