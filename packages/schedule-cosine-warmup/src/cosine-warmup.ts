import { definePlugin, duration } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const cosineWarmupSchedule = definePlugin({
  kind: 'schedule',
  name: 'cosine-warmup',
  description:
    'Linear warm-up from warmupStart to the base rate, hold, then half a cosine down to epsilon at total (Keras CosineDecay with warmup_target; the classic warm-up/hold/cosine function).',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      warmup: duration('Linear warm-up from warmupStart to the base rate.', { default: 0 }),
      warmupStart: { type: 'number', minimum: 0, default: 0, description: 'Rate at t = 0, where the warm-up starts.' },
      hold: duration('Time spent at the base rate after the warm-up, before the decay.', { default: 0 }),
      total: duration('End of the cosine decay; afterwards the rate stays at epsilon. Defaults to the run length.', {
        minimum: 1,
      }),
      epsilon: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Floor reached at total (Keras CosineDecay: alpha · base).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = [];
    const { base } = ctx;
    const warmup = options.warmup ?? 0;
    const hold = options.hold ?? 0;
    const total = options.total ?? ctx.total;
    const epsilon = options.epsilon ?? 0;
    const warmupStart = options.warmupStart ?? 0;
    if (warmup + hold >= total) {
      issues.push({
        path: 'warmup',
        message: `warmup + hold (${warmup + hold}) must be less than total (${total}), leaving time for the decay`,
        hint: 'shorten warmup/hold or raise train.epochs / total',
      });
    }
    if (epsilon > base) {
      issues.push({
        path: 'epsilon',
        message: `epsilon (${epsilon}) must not exceed the base learning rate (${base})`,
        hint: 'lower epsilon or raise optimizer.learningRate',
      });
    }
    if (warmupStart > base) {
      issues.push({
        path: 'warmupStart',
        message: `warmupStart (${warmupStart}) must not exceed the base learning rate (${base})`,
        hint: 'lower warmupStart or raise optimizer.learningRate',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const W = options.warmup ?? 0;
    const H = options.hold ?? 0;
    const T = options.total ?? ctx.total;
    const epsilon = options.epsilon ?? 0;
    const s0 = options.warmupStart ?? 0;
    const decay = T - W - H;
    return {
      at(t) {
        if (t < W) return s0 + ((base - s0) * t) / W;
        if (t < W + H) return base;
        if (t <= T) return epsilon + 0.5 * (base - epsilon) * (1 + Math.cos((Math.PI * (t - W - H)) / decay));
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
