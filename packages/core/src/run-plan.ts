import { AnnealError } from './errors.ts';
import type { Schedule, ScheduleUnit } from './schedule.ts';
import type { RunLength, ValidationResult } from './validate.ts';

/**
 * How long a run is and which rate it applies at every `t`: computed once, by validation (the
 * same numbers `exp validate` and `exp schedule` print), and handed to the trainer, which
 * applies it and never rebuilds it. So the preview and the run cannot disagree.
 */
export interface RunPlan extends RunLength {
  unit: ScheduleUnit;
  schedule: Schedule;
  /** True when `train.stepsPerEpoch` set the batches per epoch rather than the data size. */
  fixedSteps: boolean;
}

/** The plan of a validated config; throws if validation did not succeed. */
export function runPlan(result: Pick<ValidationResult, 'config' | 'schedule' | 'run'>): RunPlan {
  const { config, schedule, run } = result;
  if (!config || !schedule || !run)
    throw new AnnealError('CONFIG_INVALID', 'a run needs a validated config (with its schedule and length)');
  return {
    ...run,
    unit: config.schedule.unit,
    schedule,
    fixedSteps: config.train.stepsPerEpoch !== undefined,
  };
}
