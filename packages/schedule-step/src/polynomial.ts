import { definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const polynomialSchedule = definePlugin({
  kind: 'schedule',
  name: 'polynomial',
  description:
    "Polynomial decay from the base rate to epsilon over total (PyTorch PolynomialLR, plus Keras PolynomialDecay's end rate): ε + (base − ε)(1 − min(t, T)/T)^power.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      total: duration(
        'Length of the decay; afterwards the rate stays at epsilon (PyTorch total_iters, Keras decay_steps). Defaults to the run length.',
        {
          minimum: 1,
        },
      ),
      power: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'Exponent of the decay; 1 is a straight line (PyTorch and Keras power).',
      },
      epsilon: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Floor reached at total (Keras end_learning_rate).',
      },
      cycle: {
        type: 'boolean',
        default: false,
        description:
          'Instead of holding at epsilon, decay again over a longer stretch: after t = k·total the decay runs to (k+1)·total (Keras cycle).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const epsilon = options.epsilon ?? 0;
    if (epsilon <= ctx.base) return [];
    return [
      {
        path: 'epsilon',
        message: `epsilon (${epsilon}) must not exceed the base learning rate (${ctx.base})`,
        hint: 'lower epsilon or raise optimizer.learningRate',
      },
    ];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const total = options.total ?? ctx.total;
    const power = options.power ?? 1;
    const epsilon = options.epsilon ?? 0;
    if (options.cycle) {
      // Keras: the decay length becomes total · ⌈t/total⌉ (total at t = 0), so each k·total is a
      // floor and the next step starts a longer, shallower decay.
      return {
        at: (t) => epsilon + (base - epsilon) * (1 - t / (total * Math.max(1, Math.ceil(t / total)))) ** power,
        phases: cyclePhases(total, ctx.total),
      };
    }
    return {
      at: (t) => epsilon + (base - epsilon) * (1 - Math.min(t, total) / total) ** power,
      phases: [
        { name: 'decay', start: 0 },
        { name: 'floor', start: total },
      ],
    };
  },
});

function cyclePhases(total: number, runTotal: number): Phase[] {
  const phases: Phase[] = [{ name: 'cycle 1', start: 0 }];
  for (let start = total + 1; start < runTotal; start += total) {
    if (phases.length === maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: `cycle ${phases.length + 1}`, start });
  }
  return phases;
}
