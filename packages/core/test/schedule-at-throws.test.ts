import { describe, expect, it } from 'vitest';
import { AnnealError, buildSchedule, definePlugin, PluginRegistry } from '../src/index.ts';

// A user's schedule whose at() throws past some t (here t ≥ 3, or only beyond the checked range).
const registry = (from: number) => {
  const r = new PluginRegistry();
  r.register(
    definePlugin({
      kind: 'schedule',
      name: 'brittle',
      description: 'throws from t on',
      schema: { type: 'object', additionalProperties: false, properties: {} },
      create: (_o: unknown, ctx: { base: number }) => ({
        at: (t: number) => {
          if (t >= from) throw new RangeError(`no rate past ${from - 1}`);
          return ctx.base;
        },
        phases: [{ name: 'brittle', start: 0 }],
      }),
    }),
    '/home/me/plugins/brittle.ts',
  );
  return r;
};

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AnnealError;
  }
  throw new Error('expected an error');
};

describe('a schedule plugin whose at() throws', () => {
  it('is named with its file and the t it failed at, while the schedule is checked', () => {
    const e = failure(() =>
      buildSchedule({ name: 'brittle' } as never, { registry: registry(3), base: 0.1, unit: 'epoch', runTotal: 10 }),
    );
    expect(e).toBeInstanceOf(AnnealError);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.format()).toContain(
      'schedule: schedule plugin `brittle` (/home/me/plugins/brittle.ts) threw at t=3: no rate past 2',
    );
    expect(e.cause).toBeInstanceOf(RangeError);
  });

  it('and when it throws only later, during training', () => {
    const schedule = buildSchedule({ name: 'brittle' } as never, {
      registry: registry(50),
      base: 0.1,
      unit: 'epoch',
      runTotal: 10,
    });
    expect(schedule.at(10)).toBe(0.1);
    expect(failure(() => schedule.at(57)).format()).toContain('(/home/me/plugins/brittle.ts) threw at t=57');
  });
});
