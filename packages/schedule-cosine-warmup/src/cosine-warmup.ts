import { definePlugin, duration } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const cosineWarmupSchedule = definePlugin({
  kind: 'schedule',
  name: 'cosine-warmup',
  description:
    'Linear warm-up from warmupStart to the peak (the base rate unless set), hold, then half a cosine down to epsilon at total (Keras CosineDecay with warmup_target; optax warmup_cosine_decay_schedule and cosine_decay_schedule; the classic warm-up/hold/cosine function).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      warmup: duration('Linear warm-up from warmupStart to the peak (Keras and optax warmup_steps).', { default: 0 }),
      warmupStart: {
        type: 'number',
        minimum: 0,
        default: 0,
        description:
          'Rate at t = 0, where the warm-up starts; it may lie above the peak, for a linear fall to it (Keras initial_learning_rate, optax init_value).',
      },
      peak: {
        type: 'number',
        exclusiveMinimum: 0,
        description:
          'Rate at the end of the warm-up, held, then decayed from (Keras warmup_target, optax peak_value). Defaults to the base rate.',
      },
      hold: duration(
        'Time spent at the peak after the warm-up, before the decay (hold_base_rate_steps of the warm-up/hold/cosine function; Keras, optax and timm have none).',
        { default: 0 },
      ),
      total: duration(
        'End of the cosine decay, counted from 0 with the warm-up; afterwards the rate stays at epsilon (optax decay_steps; Keras warmup_steps + decay_steps). Defaults to the run length.',
        { minimum: 1 },
      ),
      epsilon: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Floor reached at total (Keras CosineDecay: alpha · target; optax end_value).',
      },
      exponent: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'Power of the cosine factor: ε + (peak − ε)·(½(1 + cos))^exponent (optax exponent).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = [];
    const peak = options.peak ?? ctx.base;
    const warmup = options.warmup ?? 0;
    const hold = options.hold ?? 0;
    const total = options.total ?? ctx.total;
    const epsilon = options.epsilon ?? 0;
    if (warmup + hold >= total) {
      issues.push({
        path: 'warmup',
        message: `warmup + hold (${warmup + hold}) must be less than total (${total}), leaving time for the decay`,
        hint: 'shorten warmup/hold or raise train.epochs / total',
      });
    }
    if (epsilon > peak) {
      issues.push({
        path: 'epsilon',
        message: `epsilon (${epsilon}) must not exceed the peak rate (${peak}: ${options.peak === undefined ? 'the base learning rate' : 'peak'})`,
        hint:
          options.peak === undefined ? 'lower epsilon or raise optimizer.learningRate' : 'lower epsilon or raise peak',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const peak = options.peak ?? ctx.base;
    const W = options.warmup ?? 0;
    const H = options.hold ?? 0;
    const T = options.total ?? ctx.total;
    const epsilon = options.epsilon ?? 0;
    const s0 = options.warmupStart ?? 0;
    const exponent = options.exponent ?? 1;
    const decay = T - W - H;
    return {
      at(t) {
        if (t < W) return s0 + ((peak - s0) * t) / W;
        if (t < W + H) return peak;
        if (t <= T)
          return epsilon + (peak - epsilon) * (0.5 * (1 + Math.cos((Math.PI * (t - W - H)) / decay))) ** exponent;
        return epsilon;
      },
      phases: phases(W, H, T),
    };
  },
});

function phases(W: number, H: number, T: number): Phase[] {
  const list: Phase[] = [];
  if (W > 0) list.push({ name: 'warmup', start: 0 });
  if (H > 0) list.push({ name: 'hold', start: W });
  list.push({ name: 'decay', start: W + H }, { name: 'floor', start: T });
  return list;
}
