import { definePlugin } from '@anneal/core';
import type { Schedule, ScheduleContext } from '@anneal/core';

export const exponentialSchedule = definePlugin({
  kind: 'schedule',
  name: 'exponential',
  description: 'Multiply the rate by gamma every unit of time (PyTorch ExponentialLR): base · gamma^t.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['gamma'],
    properties: {
      gamma: { type: 'number', exclusiveMinimum: 0, description: 'Factor applied every step (or epoch).' },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const gamma = options.gamma;
    return { at: (t) => base * gamma ** t, phases: [{ name: 'decay', start: 0 }] };
  },
});
