import { definePlugin } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const multistepSchedule = definePlugin({
  kind: 'schedule',
  name: 'multistep',
  description:
    'Multiply the base rate by gamma at each milestone (PyTorch MultiStepLR): base · gamma^k, k = milestones ≤ t; a repeated milestone drops twice.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['milestones'],
    properties: {
      milestones: {
        type: 'array',
        items: { type: 'integer', minimum: 0 },
        description:
          'Times (in the schedule unit) at which the rate is multiplied by gamma, in non-decreasing order (PyTorch milestones).',
      },
      gamma: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.1,
        description: 'Factor applied at each milestone (PyTorch gamma).',
      },
    },
  },
  check(options): Issue[] {
    const ms = options.milestones ?? [];
    for (let i = 1; i < ms.length; i++) {
      if (ms[i] < ms[i - 1]) {
        return [
          {
            path: `milestones.${i}`,
            message: `milestones must be non-decreasing, but ${ms[i]} follows ${ms[i - 1]}`,
            hint: 'sort the milestones; repeat a milestone to apply gamma twice there',
          },
        ];
      }
    }
    return [];
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const gamma = options.gamma ?? 0.1;
    // Sorted copy so `at` stays right even if called without `check`; counting (not deduplicating)
    // keeps PyTorch's Counter semantics for repeated milestones.
    const milestones = [...options.milestones].sort((a, b) => a - b);
    return {
      at: (t) => base * gamma ** milestones.filter((m) => m <= t).length,
      phases: milestonePhases(milestones),
    };
  },
});

function milestonePhases(sorted: number[]): Phase[] {
  const phases: Phase[] = [{ name: 'initial', start: 0 }];
  for (const m of new Set(sorted)) {
    if (m > 0) phases.push({ name: `milestone ${phases.length}`, start: m });
  }
  return phases;
}
