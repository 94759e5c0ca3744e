import type { Issue } from './errors.ts';
import { momentumOptimizerNames, optimizerOptions } from './optimizer-schema.ts';
import { joinPath } from './paths.ts';
import type { Schedule } from './schedule.ts';

/** Beyond this many steps the momentum is spot-checked, as buildSchedule does the rate. */
const FULL_CHECK = 200_000;

interface Bounds {
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  exclusiveMaximum?: number;
}

/**
 * A schedule that cycles the momentum needs an optimizer that has one — PyTorch raises
 * "optimizer must support momentum or beta1 with `cycle_momentum` option enabled" — and every
 * value it sets must be one that optimizer accepts in its own options (Adam's beta1 in (0, 1):
 * at 1 its bias correction divides by zero). `from` is the path of the schedule that cycles it.
 */
export function momentumIssues(schedule: Schedule, optimizer: string, from: string, runTotal: number): Issue[] {
  const momentum = schedule.momentum;
  if (!momentum || !(optimizer in optimizerOptions)) return [];
  const path = joinPath(from, 'cycleMomentum');
  if (!momentumOptimizerNames.includes(optimizer))
    return [
      {
        path,
        message: `cycleMomentum needs an optimizer with a momentum or beta1; \`${optimizer}\` has neither`,
        hint: `set optimizer.name to one of ${momentumOptimizerNames.join(', ')} (\`momentum\` for SGD with momentum), or set cycleMomentum: false`,
      },
    ];
  const key = 'beta1' in optimizerOptions[optimizer] ? 'beta1' : 'momentum';
  const b = optimizerOptions[optimizer][key] as Bounds;
  const ok = (m: number) =>
    Number.isFinite(m) &&
    (b.minimum === undefined || m >= b.minimum) &&
    (b.exclusiveMinimum === undefined || m > b.exclusiveMinimum) &&
    (b.maximum === undefined || m <= b.maximum) &&
    (b.exclusiveMaximum === undefined || m < b.exclusiveMaximum);
  const last = Math.max(runTotal, 1);
  const count = last <= FULL_CHECK ? last + 1 : 1001;
  for (let i = 0; i < count; i++) {
    const t = last <= FULL_CHECK ? i : Math.round((i * last) / 1000);
    const m = momentum(t);
    if (ok(m)) continue;
    const range = `${b.exclusiveMinimum !== undefined ? `(${b.exclusiveMinimum}` : `[${b.minimum ?? '−∞'}`}, ${b.exclusiveMaximum !== undefined ? `${b.exclusiveMaximum})` : b.maximum !== undefined ? `${b.maximum}]` : '∞)'}`;
    return [
      {
        path,
        message: `cycleMomentum sets ${optimizer}'s ${key} to ${m} at t=${t}, outside ${range}`,
        hint: `keep baseMomentum and maxMomentum within ${range}`,
      },
    ];
  }
  return [];
}
