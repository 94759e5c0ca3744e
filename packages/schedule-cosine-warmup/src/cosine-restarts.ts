import { cycleAt, definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const cosineRestartsSchedule = definePlugin({
  kind: 'schedule',
  name: 'cosine-restarts',
  description:
    'Cosine annealing with warm restarts (SGDR; PyTorch CosineAnnealingWarmRestarts, Keras CosineDecayRestarts): cycle i lasts period · periodMultiplier^i and falls from base · decay^i towards epsilon (or, with decayMode amplitude, from epsilon + (base − epsilon) · decay^i).',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['period'],
    properties: {
      period: duration('Length of the first cycle (PyTorch T_0).', { minimum: 1 }),
      periodMultiplier: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description: 'Each cycle is this many times longer than the one before (PyTorch T_mult).',
      },
      epsilon: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Floor each cycle decays towards (PyTorch eta_min).',
      },
      decay: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description:
          'Shrinks each restart: with decayMode peak, cycle i starts at base · decay^i (timm cycle_decay); with decayMode amplitude, its height above epsilon is (base − epsilon) · decay^i (Keras m_mul).',
      },
      kDecay: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description:
          'Bends each cosine: cos(π·τ^k / P_i^k); k > 1 keeps the rate high for longer (timm k_decay, from the k-decay paper).',
      },
      cycleLimit: {
        type: 'integer',
        minimum: 1,
        description:
          'Stop restarting after this many cycles and stay at epsilon (timm cycle_limit; timm defaults to 1, a single cosine). Unset: restart forever.',
      },
      decayMode: {
        enum: ['peak', 'amplitude'],
        default: 'peak',
        description:
          'What decay shrinks: the peak, which then falls towards a fixed epsilon, or the amplitude above the floor epsilon (Keras CosineDecayRestarts m_mul, with epsilon = alpha · base).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const epsilon = options.epsilon ?? 0;
    if (epsilon <= ctx.base) return [];
    return [
      {
        path: 'epsilon',
        message: `epsilon (${epsilon}) must not exceed the base learning rate (${ctx.base})`,
        hint: 'lower epsilon or raise optimizer.learningRate',
      },
    ];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const period = options.period;
    const mult = options.periodMultiplier ?? 1;
    const epsilon = options.epsilon ?? 0;
    const decay = options.decay ?? 1;
    const amplitude = options.decayMode === 'amplitude';
    const k = options.kDecay ?? 1;
    const limit = options.cycleLimit ?? Number.POSITIVE_INFINITY;
    return {
      at(t) {
        const { index, since, length } = cycleAt(t, period, mult);
        if (index >= limit) return epsilon;
        const cosine =
          0.5 * (1 + Math.cos(k === 1 ? (Math.PI * since) / length : (Math.PI * since ** k) / length ** k));
        if (amplitude) return epsilon + (base - epsilon) * decay ** index * cosine;
        return epsilon + (base * decay ** index - epsilon) * cosine;
      },
      phases: cyclePhases(period, mult, ctx.total, limit),
    };
  },
});

function cyclePhases(period: number, mult: number, total: number, limit: number): Phase[] {
  const phases: Phase[] = [];
  for (let start = 0, length = period; start < total || start === 0; start += length, length *= mult) {
    if (phases.length === maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: phases.length === limit ? 'floor' : `cycle ${phases.length + 1}`, start });
    if (phases.length > limit) break;
  }
  return phases;
}
