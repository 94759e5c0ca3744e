import { definePlugin, duration, maxListedPhases } from '@anneal/core';
import type { Phase, Schedule, ScheduleContext } from '@anneal/core';

export const stepSchedule = definePlugin({
  kind: 'schedule',
  name: 'step',
  description: 'Multiply the base rate by gamma every stepSize (PyTorch StepLR): base · gamma^⌊t / stepSize⌋.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['stepSize'],
    properties: {
      stepSize: duration(
        'Length of each constant stretch; the rate drops at every multiple of it (PyTorch step_size).',
        { minimum: 1 },
      ),
      gamma: {
        type: 'number',
        exclusiveMinimum: 0,
        default: 0.1,
        description: 'Factor applied at each drop (PyTorch gamma).',
      },
    },
  },
  create(options, ctx: ScheduleContext): Schedule {
    const { base } = ctx;
    const size = options.stepSize;
    const gamma = options.gamma ?? 0.1;
    return {
      at: (t) => base * gamma ** Math.floor(t / size),
      phases: stepPhases(size, ctx.total),
    };
  },
});

function stepPhases(size: number, total: number): Phase[] {
  const drops = Math.ceil(total / size) - 1;
  if (drops > maxListedPhases) return [{ name: 'decay', start: 0 }];
  const phases: Phase[] = [{ name: 'initial', start: 0 }];
  for (let k = 1; k <= drops; k++) phases.push({ name: `drop ${k}`, start: k * size });
  return phases;
}
