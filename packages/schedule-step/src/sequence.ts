import { definePlugin, duration, nestedScheduleSchema } from '@anneal/core';
import type { Issue, Phase, Schedule, ScheduleContext } from '@anneal/core';

export const sequenceSchedule = definePlugin({
  kind: 'schedule',
  name: 'sequence',
  description:
    'Run schedules one after another, each on its own clock from 0 (optax join_schedules); every part but the last has a length, the last runs to the end.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['parts'],
    properties: {
      parts: {
        type: 'array',
        minItems: 1,
        description:
          'The schedules in order, each `{ schedule: { name, ...options }, length }` (optax join_schedules: schedules and boundaries; PyTorch SequentialLR: schedulers and milestones).',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['schedule'],
          properties: {
            schedule: nestedScheduleSchema('A nested schedule: its name and options, as at the top level.'),
            length: duration("How long this part runs (its schedule's total); required on every part but the last.", {
              minimum: 1,
            }),
          },
        },
      },
    },
  },
  check(options, ctx: ScheduleContext): Issue[] {
    const issues: Issue[] = [];
    const parts = options.parts ?? [];
    let used = 0;
    parts.forEach((part, k) => {
      if (k === parts.length - 1) return;
      if (part.length === undefined) {
        issues.push({
          path: `parts.${k}.length`,
          message: `part ${k} has no length; only the last part may omit it`,
          hint: 'give every part but the last a length, e.g. `length: 5ep`',
        });
      } else {
        used += part.length;
      }
    });
    if (parts.length > 1 && used >= ctx.total) {
      issues.push({
        path: 'parts',
        message: `the lengths before the last part (${used}) must be less than the run length (${ctx.total})`,
        hint: 'shorten the parts or raise train.epochs',
      });
    }
    return issues;
  },
  create(options, ctx: ScheduleContext): Schedule {
    const parts: { offset: number; schedule: Schedule }[] = [];
    const phases: Phase[] = [];
    let offset = 0;
    options.parts.forEach((part, k) => {
      const last = k === options.parts.length - 1;
      // The last part's clock runs to the end of the run unless it names its own length.
      const length = part.length ?? ctx.total - offset;
      const schedule = ctx.schedule(part.schedule, { total: length, path: `parts.${k}.schedule` });
      parts.push({ offset, schedule });
      for (const phase of schedule.phases) {
        // A non-last part's phases at or past its length belong to time the next part owns.
        if (last || phase.start < length) phases.push({ name: `${k}:${phase.name}`, start: offset + phase.start });
      }
      offset += length;
    });
    return {
      at(t) {
        let k = parts.length - 1;
        while (k > 0 && t < parts[k].offset) k--;
        return parts[k].schedule.at(t - parts[k].offset);
      },
      phases,
    };
  },
});
