import { buildSchedule } from './build-schedule.ts';
import { parseDuration } from './durations.ts';
import { AnnealError } from './errors.ts';
import type { PluginDefinition } from './plugin.ts';
import { PluginRegistry } from './registry.ts';
import type { Schedule, ScheduleSpec, ScheduleUnit } from './schedule.ts';

/** A duration as configs write it: a count of the schedule's unit, or `3ep`, `500st`, `5%`. */
export type Duration = number | `${number}ep` | `${number}st` | `${number}%`;

type SchedulePlugin = PluginDefinition<'schedule', any, any, any> & { name: string };

/**
 * The options as written: the plugin's own type, where a number may also be a duration string.
 * Every key is optional here because the inferred type cannot tell defaulted keys from required
 * ones; a missing required option is reported by the schema at run time, as in a config.
 */
type Written<O> = { [K in keyof O]?: O[K] extends number | undefined ? O[K] | Duration : O[K] };

/** `{ name, ...options }` for each plugin of a list: a union discriminated by `name`. */
export type ScheduleSpecOf<P> = P extends PluginDefinition<'schedule', infer O, any, any> & { name: infer N }
  ? { name: N } & Written<O>
  : never;

/** The time axis a schedule is built on (what a config's optimizer and train sections give `exp`). */
export interface ScheduleTime {
  /** The base rate (`optimizer.learningRate`): warm-ups rise to it and decays start from it. */
  base: number;
  /** Length of the training, the default of every `total` option: a count of `unit`, `10ep` or `5000st`. */
  total: Duration;
  /** What `t` counts: `epoch` (default, as Keras's LearningRateScheduler) or `step` (a batch). */
  unit?: ScheduleUnit;
  /** Batches per epoch, needed to mix units (`2ep` on a `step` schedule). */
  stepsPerEpoch?: number;
}

/** A schedule that knows the unit its `t` counts (a schedule callback reads it). */
export type TimedSchedule = Schedule & { unit: ScheduleUnit; stepsPerEpoch?: number };

/**
 * Build a schedule from a name and options outside any config file — for plotting, custom
 * loops or the trainer's `scheduleCallback`. Goes through the same path as `schedule:` in a
 * config (durations, schema defaults, cross-field checks, a finite-rate probe), so it throws the
 * same CONFIG_INVALID errors. `plugins` are the schedules to choose from, e.g. a schedule
 * package's `schedules` list, plus your own `definePlugin` ones; their names and option types
 * make `spec` typed.
 */
export function createSchedule<const P extends readonly SchedulePlugin[]>(
  plugins: P,
  spec: ScheduleSpecOf<P[number]>,
  time: ScheduleTime,
): TimedSchedule {
  const registry = new PluginRegistry();
  for (const plugin of plugins) registry.register(plugin, 'createSchedule');
  const unit = time.unit ?? 'epoch';
  let total = time.total;
  if (typeof total === 'string') {
    const parsed = parseDuration(total, { unit, stepsPerEpoch: time.stepsPerEpoch, total: 0 });
    if (parsed.value === undefined || total.endsWith('%'))
      throw new AnnealError('CONFIG_INVALID', `total: ${parsed.problem ?? `"${total}" is relative to itself`}`, {
        hint: 'give the training length as a number of units, `10ep` or `5000st`',
      });
    total = parsed.value;
  }
  const schedule = buildSchedule(spec as ScheduleSpec, {
    registry,
    base: time.base,
    unit,
    stepsPerEpoch: time.stepsPerEpoch,
    runTotal: total,
  });
  return { ...schedule, unit, stepsPerEpoch: time.stepsPerEpoch };
}
