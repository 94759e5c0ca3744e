import { definePlugin, duration, type Schedule, type ScheduleContext } from '@anneal/core';

/**
 * The inverse-square-root ("Noam") schedule of "Attention Is All You Need":
 *   lr(t) = scale · d_model^−0.5 · min((t+1)^−0.5, (t+1) · warmup^−1.5)
 * It rises linearly for `warmup` steps, peaks at t = warmup − 1, then decays as 1/√t.
 * (t + 1 because the paper counts steps from 1 and anneal counts from 0.)
 * With `scale` omitted, it is normalised so that the peak equals optimizer.learningRate.
 */
export default definePlugin({
  kind: 'schedule',
  name: 'noam',
  description: 'Inverse-square-root decay after a linear warm-up (Transformer / Noam schedule)',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['warmup'],
    properties: {
      warmup: duration('Warm-up length; the rate peaks at its last step', { minimum: 1 }),
      dModel: {
        type: 'integer',
        minimum: 1,
        default: 512,
        description: 'Model width d_model of the paper (only scales the curve)',
      },
      scale: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Overall factor; default: peak rate = optimizer.learningRate',
      },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { warmup, dModel = 512 } = options;
    const shape = (t: number) => dModel ** -0.5 * Math.min((t + 1) ** -0.5, (t + 1) * warmup ** -1.5);
    const scale = options.scale ?? ctx.base / shape(warmup - 1);
    return {
      at: (t) => scale * shape(t),
      phases: [
        { name: 'warmup', start: 0 },
        { name: 'decay', start: warmup },
      ],
    };
  },
});
