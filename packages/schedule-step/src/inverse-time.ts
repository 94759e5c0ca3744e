import { definePlugin, duration } from '@anneal/core';
import type { Schedule, ScheduleContext } from '@anneal/core';

export const inverseTimeSchedule = definePlugin({
  kind: 'schedule',
  name: 'inverse-time',
  description:
    'Inverse time decay (Keras InverseTimeDecay): base / (1 + decayRate · t/decaySteps), with ⌊t/decaySteps⌋ under staircase.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['decayRate'],
    properties: {
      decayRate: { type: 'number', minimum: 0, description: 'How fast the rate falls (Keras decay_rate).' },
      decaySteps: duration('Time over which the denominator grows by decayRate (Keras decay_steps).', {
        minimum: 1,
        default: 1,
      }),
      staircase: {
        type: 'boolean',
        default: false,
        description: 'Grow the denominator in whole steps of decaySteps (Keras staircase).',
      },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const rate = options.decayRate;
    const steps = options.decaySteps ?? 1;
    const staircase = options.staircase ?? false;
    return {
      at(t) {
        const p = staircase ? Math.floor(t / steps) : t / steps;
        return base / (1 + rate * p);
      },
      phases: [{ name: 'decay', start: 0 }],
    };
  },
});
