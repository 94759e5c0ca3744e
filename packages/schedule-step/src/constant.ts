import { definePlugin, duration } from '@anneal/core';
import type { Schedule, ScheduleContext } from '@anneal/core';

export const constantSchedule = definePlugin({
  kind: 'schedule',
  name: 'constant',
  description:
    'The base learning rate (optimizer.learningRate) at every step; with factor, base · factor until total, then base (PyTorch ConstantLR).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      factor: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description: 'Multiplies the base rate before total (PyTorch factor; its default is 1/3, ours 1: no change).',
      },
      total: duration('When the rate returns to base (PyTorch total_iters). Defaults to the run length.', {
        minimum: 0,
      }),
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const base = ctx.base;
    const factor = options.factor ?? 1;
    if (factor === 1) return { at: () => base, phases: [{ name: 'constant', start: 0 }] };
    const total = options.total ?? ctx.total;
    return {
      at: (t) => (t < total ? base * factor : base),
      phases:
        total > 0
          ? [
              { name: 'scaled', start: 0 },
              { name: 'base', start: total },
            ]
          : [{ name: 'base', start: 0 }],
    };
  },
});
