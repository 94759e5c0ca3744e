import { definePlugin, duration } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const piecewiseInterpolateSchedule = definePlugin({
  kind: 'schedule',
  name: 'piecewise-interpolate',
  description:
    'Move between accumulated values, linearly or along a half cosine (optax piecewise_interpolate_schedule): v₀ = base, vᵢ = vᵢ₋₁·scales[i−1]; the rate goes from vᵢ at boundaries[i−1] (0 for i = 0) to vᵢ₊₁ at boundaries[i], then holds the last value.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['interpolation'],
    properties: {
      interpolation: {
        enum: ['linear', 'cosine'],
        description: 'How the rate moves between two boundaries (optax interpolate_type).',
      },
      boundaries: {
        type: 'array',
        default: [],
        items: duration('A time (in the schedule unit) at which the next value is reached.'),
        description:
          'Increasing times at which the rate reaches each accumulated value (optax boundaries_and_scales keys).',
      },
      scales: {
        type: 'array',
        default: [],
        items: { type: 'number', minimum: 0 },
        description:
          'One factor per boundary, multiplied into the value before it: the value reached there (optax boundaries_and_scales values).',
      },
    },
  },
  check(options, _ctx: ScheduleContext): Issue[] {
    const boundaries = options.boundaries ?? [];
    const scales = options.scales ?? [];
    const issues: Issue[] = [];
    if (scales.length !== boundaries.length) {
      issues.push({
        path: 'scales',
        message: `scales has ${scales.length} entries for ${boundaries.length} boundaries; it needs one per boundary`,
        hint: 'give each boundary the factor applied to the value reached there',
      });
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        issues.push({
          path: `boundaries.${i}`,
          message: `boundaries must increase, but ${boundaries[i]} follows ${boundaries[i - 1]}`,
          hint: 'sort the boundaries (with their scales) and drop repeats',
        });
        break;
      }
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const boundaries = options.boundaries ?? [];
    const scales = options.scales ?? [];
    const values = [ctx.base];
    for (const scale of scales) values.push(values[values.length - 1] * scale);
    const move = options.interpolation === 'cosine' ? cosineBetween : linearBetween;
    const last = boundaries.length === 0 ? 0 : boundaries[boundaries.length - 1];
    return {
      at(t) {
        if (t >= last) return values[values.length - 1];
        let i = 0;
        while (t >= boundaries[i]) i++;
        const from = i === 0 ? 0 : boundaries[i - 1];
        // optax's max(interval, 1) is only reached by a boundary at 0, whose piece is never entered.
        return move(values[i], values[i + 1], (t - from) / Math.max(boundaries[i] - from, 1));
      },
      phases: piecePhases(boundaries),
    };
  },
});

/** optax's _linear_interpolate, term for term so the rounding matches. */
const linearBetween = (start: number, end: number, pct: number) => (end - start) * pct + start;

/** optax's _cosine_interpolate: a half cosine from start to end. */
const cosineBetween = (start: number, end: number, pct: number) =>
  end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);

/** A piece per boundary, then the hold; a boundary at 0 has no piece before it. */
function piecePhases(boundaries: number[]): Phase[] {
  const starts = [0, ...boundaries];
  const phases: Phase[] = [];
  starts.forEach((start, i) => {
    const name = i === boundaries.length ? 'hold' : `piece ${i + 1}`;
    if (phases.length > 0 && phases[phases.length - 1].start === start) phases[phases.length - 1] = { name, start };
    else phases.push({ name, start });
  });
  return phases;
}
