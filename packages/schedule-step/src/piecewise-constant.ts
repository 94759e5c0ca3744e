import { definePlugin } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const piecewiseConstantSchedule = definePlugin({
  kind: 'schedule',
  name: 'piecewise-constant',
  description:
    'Absolute rates between boundaries (Keras PiecewiseConstantDecay): values[0] while t ≤ boundaries[0], values[i] while boundaries[i−1] < t ≤ boundaries[i], the last value after; base is not used.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['boundaries', 'values'],
    properties: {
      boundaries: {
        type: 'array',
        minItems: 1,
        items: { type: 'integer', minimum: 0 },
        description:
          'Increasing times (in the schedule unit); a boundary still belongs to the value before it (Keras boundaries, and its convention).',
      },
      values: {
        type: 'array',
        minItems: 2,
        items: { type: 'number', minimum: 0 },
        description: 'The rates, one more than the boundaries (Keras values).',
      },
    },
  },
  check(options, _ctx: ScheduleContext): Issue[] {
    const { boundaries, values } = options;
    const issues: Issue[] = [];
    if (values.length !== boundaries.length + 1) {
      issues.push({
        path: 'values',
        message: `values has ${values.length} entries for ${boundaries.length} boundaries; it needs ${boundaries.length + 1}`,
        hint: 'give one value before the first boundary, one between each pair, and one after the last',
      });
    }
    for (let i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) {
        issues.push({
          path: `boundaries.${i}`,
          message: `boundaries must increase, but ${boundaries[i]} follows ${boundaries[i - 1]}`,
          hint: 'sort the boundaries and drop repeats',
        });
        break;
      }
    }
    return issues;
  },
  create(options, _ctx: ScheduleContext): Schedule {
    const { boundaries, values } = options;
    return {
      at(t) {
        // Keras's `≤`: the step equal to a boundary still takes the value before it.
        let i = 0;
        while (i < boundaries.length && t > boundaries[i]) i++;
        return values[i];
      },
      phases: piecePhases(boundaries),
    };
  },
});

/** A piece starts one step after its boundary. */
function piecePhases(boundaries: number[]): Phase[] {
  return [{ name: 'piece 1', start: 0 }, ...boundaries.map((b, i) => ({ name: `piece ${i + 2}`, start: b + 1 }))];
}
