import { definePlugin, maxListedPhases, nestedScheduleSchema } from '@anneal/core';
import type { Phase, Schedule, ScheduleContext } from '@anneal/core';

export const productSchedule = definePlugin({
  kind: 'schedule',
  name: 'product',
  description:
    "Multiply schedules that run at once, on the same clock (PyTorch ChainedScheduler, or several schedulers stepped together): base · Π part(t)/base, each part's rate divided by base being its factor.",
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['parts'],
    properties: {
      parts: {
        type: 'array',
        minItems: 1,
        description:
          'The schedules to multiply, each `{ name, ...options }` as at the top level (PyTorch schedulers); each runs over the whole run.',
        items: nestedScheduleSchema('A schedule: its name and options, as at the top level.'),
      },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const parts = options.parts.map((spec, k) =>
      ctx.schedule(spec as { name: string }, { total: ctx.total, path: `parts.${k}` }),
    );
    // A part that cycles the momentum sets it, as a CyclicLR inside PyTorch's ChainedScheduler
    // does (core rejects a second one).
    const momentum = parts.find((p) => p.momentum)?.momentum;
    return {
      // Factors multiply in part order, as PyTorch's chainable updates do at each step.
      at: (t) => parts.reduce((lr, part) => lr * (part.at(t) / base), base),
      phases: mergedPhases(parts.map((p) => p.phases)),
      ...(momentum ? { momentum } : {}),
    };
  },
});

/** Every part's phase starts, once each; names of parts starting a phase together are joined. */
function mergedPhases(lists: Phase[][]): Phase[] {
  const byStart = new Map<number, string[]>();
  lists.forEach((phases, k) => {
    for (const phase of phases) byStart.set(phase.start, [...(byStart.get(phase.start) ?? []), `${k}:${phase.name}`]);
  });
  if (byStart.size > maxListedPhases) return [{ name: 'product', start: 0 }];
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([start, names]) => ({ name: names.join('+'), start }));
}
