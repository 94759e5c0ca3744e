import { definePlugin, duration } from '@anneal/core';
import type { Issue, Schedule, ScheduleContext } from '@anneal/core';

export const polynomialSchedule = definePlugin({
  kind: 'schedule',
  name: 'polynomial',
  description:
    "Polynomial decay from the base rate to epsilon over total (PyTorch PolynomialLR, plus Keras PolynomialDecay's end rate): ε + (base − ε)(1 − min(t, T)/T)^power.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      total: duration('Length of the decay; afterwards the rate stays at epsilon. Defaults to the run length.', {
        minimum: 1,
      }),
      power: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'Exponent of the decay; 1 is a straight line.',
      },
      epsilon: { type: 'number', minimum: 0, default: 0, description: 'Floor reached at total.' },
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
    return {
      at: (t) => epsilon + (base - epsilon) * (1 - Math.min(t, total) / total) ** power,
      phases: [
        { name: 'decay', start: 0 },
        { name: 'floor', start: total },
      ],
    };
  },
});
