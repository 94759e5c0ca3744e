import { cycleAt, definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const tanhSchedule = definePlugin({
  kind: 'schedule',
  name: 'tanh',
  description:
    'Hyperbolic-tangent decay (timm TanhLRScheduler, from the HTD paper): ε + ½(peak − ε)(1 − tanh(lb·(1 − τ/P) + ub·τ/P)) within each cycle, then ε after cycleLimit cycles.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      total: duration('Length of the first cycle (timm t_initial). Defaults to the run length.', { minimum: 1 }),
      lb: { type: 'number', default: -7, description: 'tanh argument at the start of a cycle (timm lb).' },
      ub: { type: 'number', default: 3, description: 'tanh argument at the end of a cycle (timm ub).' },
      epsilon: { type: 'number', minimum: 0, default: 0, description: 'Floor the rate tends to (timm lr_min).' },
      periodMultiplier: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description: 'Each cycle is this many times longer than the one before (timm cycle_mul).',
      },
      decay: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description: 'Cycle i peaks at base · decay^i (timm cycle_decay).',
      },
      cycleLimit: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description: 'Cycles run before the rate stays at epsilon (timm cycle_limit).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = [];
    if ((options.lb ?? -7) >= (options.ub ?? 3)) {
      issues.push({
        path: 'lb',
        message: `lb (${options.lb}) must be below ub (${options.ub})`,
        hint: 'timm uses lb −7, ub 3',
      });
    }
    if ((options.epsilon ?? 0) > ctx.base) {
      issues.push({
        path: 'epsilon',
        message: `epsilon (${options.epsilon}) must not exceed the base learning rate (${ctx.base})`,
        hint: 'lower epsilon or raise optimizer.learningRate',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const period = options.total ?? ctx.total;
    const lb = options.lb ?? -7;
    const ub = options.ub ?? 3;
    const epsilon = options.epsilon ?? 0;
    const mult = options.periodMultiplier ?? 1;
    const decay = options.decay ?? 1;
    const limit = options.cycleLimit ?? 1;
    return {
      at(t) {
        const { index, since, length } = cycleAt(t, period, mult);
        if (index >= limit) return epsilon;
        const tr = since / length;
        return epsilon + 0.5 * (base * decay ** index - epsilon) * (1 - Math.tanh(lb * (1 - tr) + ub * tr));
      },
      phases: tanhPhases(period, mult, limit, ctx.total),
    };
  },
});

function tanhPhases(period: number, mult: number, limit: number, total: number): Phase[] {
  const phases: Phase[] = [];
  for (let start = 0, length = period; start < total || start === 0; start += length, length *= mult) {
    if (phases.length === maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: phases.length === limit ? 'floor' : `cycle ${phases.length + 1}`, start });
    if (phases.length > limit) break;
  }
  return phases;
}
