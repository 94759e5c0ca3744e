import { definePlugin, duration, nestedScheduleSchema } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext, ScheduleSpec } from '@anneal/core';

export const warmupSchedule = definePlugin({
  kind: 'schedule',
  name: 'warmup',
  description:
    "A linear warm-up in front of any schedule (timm's warmup_t, warmup_lr_init, warmup_prefix): from warmupStart towards the base rate over warmup, then the schedule — shifted to start after the warm-up with prefix, else on the run's clock.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['schedule', 'warmup'],
    properties: {
      schedule: nestedScheduleSchema(
        'The schedule after (or under) the warm-up: its name and options, as at the top level (the timm scheduler the warmup options are given to).',
      ),
      warmup: duration('Length of the warm-up (timm warmup_t).', { minimum: 1 }),
      warmupStart: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Rate at t = 0 (timm warmup_lr_init).',
      },
      prefix: {
        type: 'boolean',
        default: false,
        description:
          "Start the schedule's clock after the warm-up, so it runs whole (timm warmup_prefix); otherwise the warm-up covers its first steps.",
      },
      warmupTo: {
        enum: ['base', 'schedule'],
        default: 'base',
        description:
          "What the ramp aims at: the base rate (timm's cosine, step, multistep and poly schedulers) or the schedule's rate where the warm-up ends (timm TanhLRScheduler without warmup_prefix).",
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    if (options.warmup < ctx.total) return [];
    return [
      {
        path: 'warmup',
        message: `the warm-up (${options.warmup}) must be shorter than the run (${ctx.total})`,
        hint: 'shorten warmup or raise train.epochs',
      },
    ];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const W = options.warmup;
    const s0 = options.warmupStart ?? 0;
    const shift = options.prefix ? W : 0;
    const inner = ctx.schedule(options.schedule as ScheduleSpec, { total: ctx.total - shift, path: 'schedule' });
    const target = options.warmupTo === 'schedule' ? inner.at(W - shift) : ctx.base;
    // timm adds t times a per-step increment; the same arithmetic keeps the ramp equal to its.
    const slope = (target - s0) / W;
    return {
      at: (t) => (t < W ? s0 + t * slope : inner.at(t - shift)),
      phases: afterWarmup(inner.phases, W, shift),
    };
  },
});

/** The warm-up, then the schedule's phases from where the warm-up ends. */
function afterWarmup(inner: Phase[], W: number, shift: number): Phase[] {
  const shifted = inner.map((p) => ({ name: p.name, start: p.start + shift }));
  const current = shifted.filter((p) => p.start <= W).at(-1) ?? shifted[0];
  return [{ name: 'warmup', start: 0 }, { name: current.name, start: W }, ...shifted.filter((p) => p.start > W)];
}
