import { definePlugin, duration } from '@anneal/core';
import type { Phase, Schedule, ScheduleContext } from '@anneal/core';

export const exponentialSchedule = definePlugin({
  kind: 'schedule',
  name: 'exponential',
  description:
    'Exponential decay (PyTorch ExponentialLR, Keras ExponentialDecay, optax exponential_decay): base · gamma^((t − transitionBegin)/decaySteps), base until transitionBegin, optionally in stairs and clipped at endValue.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['gamma'],
    properties: {
      gamma: {
        type: 'number',
        exclusiveMinimum: 0,
        description:
          'Factor applied every decaySteps (PyTorch gamma; Keras and optax decay_rate). optax turns 0 into a constant rate; here it is rejected.',
      },
      decaySteps: duration(
        'Time over which the rate is multiplied by gamma once (Keras decay_steps; optax transition_steps). optax turns ≤ 0 into a constant rate; here it is rejected.',
        { minimum: 1, default: 1 },
      ),
      staircase: {
        type: 'boolean',
        default: false,
        description:
          'Apply gamma in whole steps of decaySteps: ⌊(t − transitionBegin)/decaySteps⌋ (Keras and optax staircase).',
      },
      transitionBegin: duration(
        'The rate holds at base until this time, then starts to decay (optax transition_begin).',
        {
          default: 0,
        },
      ),
      endValue: {
        type: 'number',
        minimum: 0,
        description:
          'A bound the rate never passes: a floor when gamma < 1, a ceiling when gamma ≥ 1 (optax end_value). Unset: no bound.',
      },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const gamma = options.gamma;
    const steps = options.decaySteps ?? 1;
    const staircase = options.staircase ?? false;
    const begin = options.transitionBegin ?? 0;
    const end = options.endValue;
    // optax clips with max when decaying and with min otherwise (gamma = 1 included).
    const clip =
      end === undefined
        ? (v: number) => v
        : gamma < 1
          ? (v: number) => Math.max(v, end)
          : (v: number) => Math.min(v, end);
    return {
      at(t) {
        const since = t - begin;
        if (since <= 0) return clip(base);
        const p = staircase ? Math.floor(since / steps) : since / steps;
        return clip(base * gamma ** p);
      },
      phases: phases(begin),
    };
  },
});

function phases(begin: number): Phase[] {
  return begin > 0
    ? [
        { name: 'hold', start: 0 },
        { name: 'decay', start: begin },
      ]
    : [{ name: 'decay', start: 0 }];
}
