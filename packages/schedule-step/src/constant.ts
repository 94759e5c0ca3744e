import { definePlugin } from '@anneal/core';
import type { Schedule, ScheduleContext } from '@anneal/core';

export const constantSchedule = definePlugin({
  kind: 'schedule',
  name: 'constant',
  description: 'The base learning rate (optimizer.learningRate) at every step.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {},
  },
  create(_options, ctx: ScheduleContext): Schedule {
    const base = ctx.base;
    return { at: () => base, phases: [{ name: 'constant', start: 0 }] };
  },
});
