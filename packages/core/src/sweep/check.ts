import type { Issue } from '../errors.ts';
import { isPlainObject } from '../paths.ts';

/**
 * Cross-field rules of the `sweep:` section that the schema cannot say. `raw` is the section as
 * written (to tell a default from a given value), `sweep` the same with defaults filled.
 */
export function checkSweepSection(raw: unknown, sweep: unknown): Issue[] {
  if (!isPlainObject(raw) || !isPlainObject(sweep) || sweep.method !== 'tpe') return [];
  const issues: Issue[] = [];
  // A model-based search has no natural size: the budget is the user's choice, never a default.
  if (raw.trials === undefined)
    issues.push({
      path: 'sweep.trials',
      message: '`method: tpe` needs a budget: how many trials to propose',
      hint: 'add `trials: 30` (or any number) under `sweep:`, or sweep.trials=30 on the command line',
    });
  // One proposal is one trial, as in Optuna; repeats would need a value per point, not per trial.
  if (typeof sweep.repeats === 'number' && sweep.repeats > 1)
    issues.push({
      path: 'sweep.repeats',
      message: '`method: tpe` runs each proposal once; repeats are for grid and random search',
      hint: 'remove sweep.repeats, or use method: random with repeats',
    });
  if (Array.isArray(sweep.zip) && sweep.zip.length > 0)
    issues.push({
      path: 'sweep.zip',
      message: '`method: tpe` proposes each key on its own; zip groups are for grid search',
      hint: 'remove sweep.zip, or use method: grid',
    });
  return issues;
}
