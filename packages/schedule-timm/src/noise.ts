import { AnnealError, definePlugin, duration, nestedScheduleSchema } from '@anneal/core';
import type { Issue, Schedule, ScheduleContext, ScheduleSpec } from '@anneal/core';
import { standardNormal, uniformStream } from './seeded.ts';

/** A normal draw has |x| < pct at least this often for any accepted std and pct; more tries means bad options. */
const MAX_TRIES = 1_000_000;

export const noiseSchedule = definePlugin({
  kind: 'schedule',
  name: 'noise',
  description:
    'Multiplicative learning-rate noise on any schedule (timm noise_range_t, noise_pct, noise_std, noise_type, noise_seed): rate · (1 + n_t) for noiseStart ≤ t < noiseEnd, n_t normal (resampled until |n_t| < pct) or uniform in (−pct, pct), seeded by seed + t.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['schedule'],
    properties: {
      schedule: nestedScheduleSchema(
        'The schedule to add noise to: its name and options, as at the top level (the timm scheduler the noise options are given to).',
      ),
      noiseStart: duration('First time with noise (timm noise_range_t, or its first element).', { default: 0 }),
      noiseEnd: duration(
        'Noise stops here (the second element of timm noise_range_t). Unset: noise to the end of the run and after.',
        { minimum: 1 },
      ),
      pct: {
        type: 'number',
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        default: 0.67,
        description: 'Bound on the relative noise |n_t| (timm noise_pct); below 1, so the rate stays positive.',
      },
      std: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description:
          "Standard deviation of normal noise before truncation at ±pct (timm noise_std; timm's torch path ignores it and draws with 1, the default).",
      },
      type: { enum: ['normal', 'uniform'], default: 'normal', description: 'Distribution of n_t (timm noise_type).' },
      seed: {
        type: 'integer',
        default: 42,
        description: 'The noise at t is drawn from a generator seeded with seed + t (timm noise_seed).',
      },
    },
  },
  check(options): Issue[] {
    const start = options.noiseStart ?? 0;
    if (options.noiseEnd === undefined || options.noiseEnd > start) return [];
    return [
      {
        path: 'noiseEnd',
        message: `noiseEnd (${options.noiseEnd}) must come after noiseStart (${start})`,
        hint: 'raise noiseEnd, or leave it out for noise to the end',
      },
    ];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const inner = ctx.schedule(options.schedule as ScheduleSpec, { total: ctx.total, path: 'schedule' });
    const start = options.noiseStart ?? 0;
    const end = options.noiseEnd ?? Number.POSITIVE_INFINITY;
    const draw = noiseAt(options.type ?? 'normal', options.pct ?? 0.67, options.std ?? 1, options.seed ?? 42);
    return {
      at(t) {
        const v = inner.at(t);
        if (t < start || t >= end) return v;
        return v + v * draw(t);
      },
      phases: inner.phases,
      // The noise is on the rate only; a nested cycle_momentum passes through unchanged.
      ...(inner.momentum ? { momentum: inner.momentum } : {}),
    };
  },
});

/** n_t exactly as timm draws it, with anneal's generator: a pure function of t. */
export function noiseAt(type: 'normal' | 'uniform', pct: number, std: number, seed: number): (t: number) => number {
  return (t) => {
    const uniform = uniformStream(seed + t);
    if (type === 'uniform') return 2 * (uniform() - 0.5) * pct;
    for (let i = 0; i < MAX_TRIES; i++) {
      // "resample if noise out of percent limit, brute force but shouldn't spin much" (timm)
      const noise = std * standardNormal(uniform);
      if (Math.abs(noise) < pct) return noise;
    }
    throw new AnnealError('CONFIG_INVALID', 'the schedule is not valid', {
      issues: [
        {
          path: 'schedule.std',
          message: `normal noise with std ${std} almost never falls within ±${pct}`,
          hint: 'lower std or raise pct',
        },
      ],
    });
  };
}
