import { definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const polynomialSchedule = definePlugin({
  kind: 'schedule',
  name: 'polynomial',
  description:
    "Polynomial decay from the base rate to epsilon over total (PyTorch PolynomialLR, plus Keras PolynomialDecay's end rate): ε + (base − ε)(1 − min(t, T)/T)^power; with timm PolyLRScheduler's kDecay and restarts, cycle i gives ε + (base·decay^i − ε)(1 − τ^k/P_i^k)^power.",
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      total: duration(
        'Length of the decay; afterwards the rate stays at epsilon (PyTorch total_iters, Keras decay_steps). Defaults to the run length.',
        {
          minimum: 1,
        },
      ),
      power: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description: 'Exponent of the decay; 1 is a straight line (PyTorch and Keras power).',
      },
      epsilon: {
        type: 'number',
        minimum: 0,
        default: 0,
        description: 'Floor reached at total (Keras end_learning_rate).',
      },
      kDecay: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1,
        description:
          'Bends each decay: (1 − τ^k / P_i^k)^power, τ the time into cycle i of length P_i; k > 1 keeps the rate high for longer (timm k_decay).',
      },
      periodMultiplier: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description: 'With cycleLimit > 1, each cycle is this many times longer than the one before (timm cycle_mul).',
      },
      decay: {
        type: 'number',
        exclusiveMinimum: 0,
        maximum: 1,
        default: 1,
        description: 'Cycle i decays from base · decay^i to epsilon (timm cycle_decay).',
      },
      cycleLimit: {
        type: 'integer',
        minimum: 1,
        default: 1,
        description:
          'Restart the decay this many times in all, cycle i lasting total · periodMultiplier^i, then stay at epsilon (timm cycle_limit); 1 is a single decay.',
      },
      cycle: {
        type: 'boolean',
        default: false,
        description:
          'Instead of holding at epsilon, decay again over a longer stretch: after t = k·total the decay runs to (k+1)·total (Keras cycle).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = [];
    const epsilon = options.epsilon ?? 0;
    if (epsilon > ctx.base) {
      issues.push({
        path: 'epsilon',
        message: `epsilon (${epsilon}) must not exceed the base learning rate (${ctx.base})`,
        hint: 'lower epsilon or raise optimizer.learningRate',
      });
    }
    if (options.cycle && timmCycles(options)) {
      issues.push({
        path: 'cycle',
        message:
          "cycle (Keras's longer decays) cannot be combined with kDecay, periodMultiplier, decay or cycleLimit (timm's restarts)",
        hint: 'drop cycle: true for timm PolyLRScheduler cycles, or the timm options for Keras PolynomialDecay cycle',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const total = options.total ?? ctx.total;
    const power = options.power ?? 1;
    const epsilon = options.epsilon ?? 0;
    if (options.cycle) {
      // Keras: the decay length becomes total · ⌈t/total⌉ (total at t = 0), so each k·total is a
      // floor and the next step starts a longer, shallower decay.
      return {
        at: (t) => epsilon + (base - epsilon) * (1 - t / (total * Math.max(1, Math.ceil(t / total)))) ** power,
        phases: cyclePhases(total, ctx.total),
      };
    }
    if (timmCycles(options)) {
      const k = options.kDecay ?? 1;
      const mult = options.periodMultiplier ?? 1;
      const decay = options.decay ?? 1;
      const limit = options.cycleLimit ?? 1;
      return {
        at(t) {
          const { index, since, length } = cycleAt(t, total, mult);
          if (index >= limit) return epsilon;
          // timm PolyLRScheduler._get_lr, term for term.
          return epsilon + (base * decay ** index - epsilon) * (1 - since ** k / length ** k) ** power;
        },
        phases: restartPhases(total, mult, ctx.total, limit),
      };
    }
    return {
      at: (t) => epsilon + (base - epsilon) * (1 - Math.min(t, total) / total) ** power,
      phases: [
        { name: 'decay', start: 0 },
        { name: 'floor', start: total },
      ],
    };
  },
});

function cyclePhases(total: number, runTotal: number): Phase[] {
  const phases: Phase[] = [{ name: 'cycle 1', start: 0 }];
  for (let start = total + 1; start < runTotal; start += total) {
    if (phases.length === maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: `cycle ${phases.length + 1}`, start });
  }
  return phases;
}

/** Whether any of timm's cycle options leaves its default (then the schedule follows timm's arithmetic). */
function timmCycles(o: { kDecay?: number; periodMultiplier?: number; decay?: number; cycleLimit?: number }): boolean {
  return (o.kDecay ?? 1) !== 1 || (o.periodMultiplier ?? 1) !== 1 || (o.decay ?? 1) !== 1 || (o.cycleLimit ?? 1) !== 1;
}

/** The cycle holding t, found by summing whole lengths (exact, where timm takes a logarithm). */
function cycleAt(t: number, period: number, mult: number): { index: number; since: number; length: number } {
  let index = 0;
  let start = 0;
  let length = period;
  while (t >= start + length) {
    start += length;
    length *= mult;
    index++;
  }
  return { index, since: t - start, length };
}

function restartPhases(period: number, mult: number, total: number, limit: number): Phase[] {
  const phases: Phase[] = [];
  for (let start = 0, length = period; start < total || start === 0; start += length, length *= mult) {
    if (phases.length === maxListedPhases) return [{ name: 'cycles', start: 0 }];
    phases.push({ name: phases.length === limit ? 'floor' : `cycle ${phases.length + 1}`, start });
    if (phases.length > limit) break;
  }
  return phases;
}
