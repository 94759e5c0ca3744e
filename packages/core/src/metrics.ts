import type { Issue } from './errors.ts';
import { isPlainObject } from './paths.ts';
import { suggestionHint } from './suggest.ts';

/** The columns of metrics.jsonl that can be watched or ranked by (Keras names). */
export const metricNames = ['loss', 'acc', 'val_loss', 'val_acc'] as const;

/**
 * Whether `name` is a metric this run will write. `hasValidation` is undefined when it cannot
 * be known (no data section, or a dataset plugin that does not say), and then `val_*` passes.
 */
export function checkMetric(name: unknown, path: string, hasValidation: boolean | undefined): Issue[] {
  if (typeof name !== 'string') return [];
  if (!(metricNames as readonly string[]).includes(name))
    return [{ path, message: `unknown metric \`${name}\``, hint: suggestionHint(name, metricNames, 'metrics') }];
  if (name.startsWith('val_') && hasValidation === false)
    return [
      {
        path,
        message: `\`${name}\` needs validation data, and the dataset holds none out`,
        hint: `set \`data.validationSplit\` (e.g. 0.2), or watch \`${name.slice(4)}\``,
      },
    ];
  return [];
}

/** Every metric name a config names: early stopping, checkpoints, reduce-on-plateau, the sweep's ranking and pruner. */
export function checkConfigMetrics(config: Record<string, unknown>, hasValidation: boolean | undefined): Issue[] {
  const train = isPlainObject(config.train) ? config.train : {};
  const schedule = isPlainObject(config.schedule) ? config.schedule : {};
  const sections: Array<[unknown, string, string]> = [
    [train.earlyStopping, 'train.earlyStopping', 'monitor'],
    [train.checkpoint, 'train.checkpoint', 'monitor'],
    [schedule.reduceOnPlateau, 'schedule.reduceOnPlateau', 'monitor'],
    [config.sweep, 'sweep', 'metric'],
    [isPlainObject(config.sweep) ? config.sweep.pruner : undefined, 'sweep.pruner', 'metric'],
  ];
  return sections.flatMap(([section, path, key]) =>
    isPlainObject(section) ? checkMetric(section[key], `${path}.${key}`, hasValidation) : [],
  );
}
