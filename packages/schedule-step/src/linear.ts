import { definePlugin, duration } from '@anneal/core';
import type { Schedule, ScheduleContext } from '@anneal/core';

export const linearSchedule = definePlugin({
  kind: 'schedule',
  name: 'linear',
  description:
    'Scale the base rate by a factor moving linearly from startFactor to endFactor over total, then hold (PyTorch LinearLR): base · (s + (e − s) · min(t, T)/T).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      // PyTorch requires 0 < startFactor; 0 is allowed here so a warm-up can start from rest.
      startFactor: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.3333333333333333,
        description: 'Factor of the base rate at t = 0 (PyTorch start_factor, default 1/3).',
      },
      endFactor: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 1,
        description: 'Factor of the base rate from total on (PyTorch end_factor).',
      },
      total: duration('Length of the ramp (PyTorch total_iters). Defaults to the run length.', { minimum: 1 }),
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const start = options.startFactor ?? 0.3333333333333333;
    const end = options.endFactor ?? 1;
    const total = options.total ?? ctx.total;
    return {
      at: (t) => base * (start + ((end - start) * Math.min(t, total)) / total),
      phases: [
        { name: 'ramp', start: 0 },
        { name: 'hold', start: total },
      ],
    };
  },
});
