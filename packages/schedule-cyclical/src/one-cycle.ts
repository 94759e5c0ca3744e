import { definePlugin, duration } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';
import { momentumIssues, momentumOptions } from './momentum.ts';

interface Segment {
  name: string;
  /** PyTorch's end_step: a float, pctStart · total − 1 for the first phase. */
  end: number;
  from: number;
  to: number;
}

export const oneCycleSchedule = definePlugin({
  kind: 'schedule',
  name: 'one-cycle',
  description:
    'One-cycle policy (Smith & Topin 2018; PyTorch OneCycleLR): rise from maxLr/divFactor to maxLr over pctStart of total, then anneal to maxLr/divFactor/finalDivFactor.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      maxLr: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'Peak rate (PyTorch max_lr). Defaults to optimizer.learningRate.',
      },
      total: duration(
        'Length of the whole cycle (PyTorch total_steps); afterwards the rate stays at its final value. Defaults to the run length.',
        { minimum: 2 },
      ),
      pctStart: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        default: 0.3,
        description: 'Fraction of total spent rising to maxLr (PyTorch pct_start).',
      },
      annealStrategy: {
        enum: ['cos', 'linear'],
        default: 'cos',
        description: "Shape of every phase: 'cos' (half a cosine) or 'linear' (PyTorch anneal_strategy).",
      },
      divFactor: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 25,
        description: 'The cycle starts at maxLr / divFactor (PyTorch div_factor).',
      },
      finalDivFactor: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 1e4,
        description: 'The cycle ends at maxLr / divFactor / finalDivFactor (PyTorch final_div_factor).',
      },
      ...momentumOptions(0.85, 0.95),
      threePhase: {
        type: 'boolean',
        default: false,
        description:
          'Fall back to the start rate symmetrically before the final anneal (fast.ai style) instead of annealing straight to the end (PyTorch three_phase).',
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = momentumIssues(options.baseMomentum ?? 0.85, options.maxMomentum ?? 0.95);
    const T = options.total ?? ctx.total;
    const pct = options.pctStart ?? 0.3;
    if (T < 2) {
      issues.push({
        path: 'total',
        message: `total (${T}) must be at least 2 for a rise and a fall`,
        hint: 'raise total or train.epochs, or use unit: step',
      });
      return issues;
    }
    if (pct * T - 1 === 0) {
      issues.push({
        path: 'pctStart',
        message: `pctStart · total = 1 makes the rising phase zero steps long (PyTorch divides 0 by 0 there)`,
        hint: 'change pctStart or total',
      });
    }
    if ((options.threePhase ?? false) && 2 * pct * T - 2 >= T - 1) {
      issues.push({
        path: 'pctStart',
        message: `with threePhase, 2 · pctStart · total − 2 (${2 * pct * T - 2}) must be less than total − 1 (${T - 1}), leaving room for the final anneal`,
        hint: 'use a pctStart below one half',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const T = options.total ?? ctx.total;
    const pct = options.pctStart ?? 0.3;
    const maxLr = options.maxLr ?? ctx.base;
    const initial = maxLr / (options.divFactor ?? 25);
    const min = initial / (options.finalDivFactor ?? 1e4);
    const anneal = (options.annealStrategy ?? 'cos') === 'cos' ? annealCos : annealLinear;
    const segments: Segment[] = options.threePhase
      ? [
          { name: 'warmup', end: pct * T - 1, from: initial, to: maxLr },
          { name: 'cooldown', end: 2 * pct * T - 2, from: maxLr, to: initial },
          { name: 'anneal', end: T - 1, from: initial, to: min },
        ]
      : [
          { name: 'warmup', end: pct * T - 1, from: initial, to: maxLr },
          { name: 'anneal', end: T - 1, from: maxLr, to: min },
        ];
    const baseM = options.baseMomentum ?? 0.85;
    const maxM = options.maxMomentum ?? 0.95;
    // PyTorch's momentum phases run against the rate: max → base while it rises, base → max after
    // (and max → max in the third phase).
    const momenta: [number, number][] = options.threePhase
      ? [
          [maxM, baseM],
          [baseM, maxM],
          [maxM, maxM],
        ]
      : [
          [maxM, baseM],
          [baseM, maxM],
        ];
    const along = (t: number, value: (k: number, pct: number) => number) => {
      // PyTorch raises past total_steps; we hold the final value instead.
      const step = Math.min(t, T - 1);
      let start = 0;
      for (let k = 0; k < segments.length; k++) {
        const { end } = segments[k];
        if (step <= end || k === segments.length - 1) return value(k, (step - start) / (end - start));
        start = end;
      }
      throw new Error('unreachable: the last segment always matches');
    };
    return {
      at: (t) => along(t, (k, pct) => anneal(segments[k].from, segments[k].to, pct)),
      phases: phases(segments),
      ...(options.cycleMomentum
        ? { momentum: (t: number) => along(t, (k, pct) => anneal(momenta[k][0], momenta[k][1], pct)) }
        : {}),
    };
  },
});

function annealCos(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

function annealLinear(start: number, end: number, pct: number): number {
  return (end - start) * pct + start;
}

/** Segment k holds the integers t with end_{k−1} < t ≤ end_k; empty segments (pctStart · total < 1) are skipped. */
function phases(segments: Segment[]): Phase[] {
  const list: Phase[] = [];
  let first = 0;
  segments.forEach(({ name, end }, k) => {
    const last = k === segments.length - 1;
    if ((first <= end || last) && (list.length === 0 || first > list[list.length - 1].start))
      list.push({ name, start: first });
    first = Math.max(first, Math.floor(end) + 1);
  });
  return list;
}
