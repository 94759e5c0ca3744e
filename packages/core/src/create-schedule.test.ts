import { describe, expect, it } from 'vitest';
import { AnnealError } from './errors.ts';
import { definePlugin, duration } from './plugin.ts';
import type { ScheduleContext } from './schedule.ts';
import { createSchedule } from './create-schedule.ts';

// A small plugin with a duration, a default and a cross-field check, so every stage of the
// config path (durations → schema defaults → check → create → probe) is exercised.
const ramp = definePlugin({
  kind: 'schedule',
  name: 'ramp',
  description: 'Linear from floor·base to base over `length`, then base',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['length'],
    properties: {
      length: duration('Ramp length', { minimum: 1 }),
      floor: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
    },
  },
  check: (o, ctx: ScheduleContext) =>
    o.length > ctx.total ? [{ path: 'length', message: 'longer than the run' }] : [],
  create: (o, ctx: ScheduleContext) => ({
    at: (t: number) => ctx.base * (t >= o.length ? 1 : (o.floor ?? 0.1) + (1 - (o.floor ?? 0.1)) * (t / o.length)),
    phases: [{ name: 'ramp', start: 0 }],
  }),
});
const flat = definePlugin({
  kind: 'schedule',
  name: 'flat',
  description: 'base',
  schema: { type: 'object', additionalProperties: false, properties: {} },
  create: (_o, ctx: ScheduleContext) => ({ at: () => ctx.base, phases: [{ name: 'flat', start: 0 }] }),
});

describe('createSchedule', () => {
  it('resolves durations against steps per epoch and fills schema defaults', () => {
    const s = createSchedule(
      [ramp, flat],
      { name: 'ramp', length: '2ep' },
      { base: 0.5, total: '10ep', unit: 'step', stepsPerEpoch: 8 },
    );
    expect(s.unit).toBe('step');
    // length = 2 epochs × 8 steps = 16 steps; floor defaults to 0.1.
    for (const t of [0, 1, 7, 15, 16, 79]) {
      const expected = t >= 16 ? 0.5 : 0.5 * (0.1 + 0.9 * (t / 16));
      expect(s.at(t)).toBeCloseTo(expected, 12);
    }
  });

  it('counts epochs by default and takes a plain number of units', () => {
    const s = createSchedule([ramp], { name: 'ramp', length: 4, floor: 0 }, { base: 1, total: 10 });
    expect(s.unit).toBe('epoch');
    expect([0, 1, 2, 3, 4, 9].map((t) => s.at(t))).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it('throws the config errors, with the key path, for bad options and unknown names', () => {
    const bad = () => createSchedule([ramp], { name: 'ramp', length: 20 }, { base: 1, total: 10 });
    expect(bad).toThrow(AnnealError);
    try {
      bad();
    } catch (error) {
      expect((error as AnnealError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
        'schedule.length: longer than the run',
      ]);
    }
    const unknown = () => createSchedule([ramp, flat], { name: 'rmap' } as never, { base: 1, total: 10 });
    expect(unknown).toThrow(/the schedule is not valid/);
    try {
      unknown();
    } catch (error) {
      expect((error as AnnealError).issues[0].hint).toMatch(/ramp/);
    }
    expect(() => createSchedule([flat], { name: 'flat' }, { base: 1, total: '10%' })).toThrow(AnnealError);
  });

  it('types the spec from the plugin list: name picks the options', () => {
    // @ts-expect-error floor must be a number, not a boolean
    const wrongType = { name: 'ramp', length: 3, floor: true } satisfies Parameters<
      typeof createSchedule<[typeof ramp]>
    >[1];
    // @ts-expect-error no plugin of that name in the list
    const wrongName = { name: 'cosine' } satisfies Parameters<typeof createSchedule<[typeof ramp, typeof flat]>>[1];
    expect([wrongType, wrongName]).toHaveLength(2);
  });
});
