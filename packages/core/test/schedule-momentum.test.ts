import { describe, expect, it } from 'vitest';
import {
  buildSchedule,
  definePlugin,
  momentumOptimizerNames,
  optimizerNames,
  PluginRegistry,
  type Schedule,
  type ScheduleContext,
  type ScheduleSpec,
  validateExperiment,
} from '../src/index.ts';

// A schedule that cycles the momentum, and two wrappers: one passes a nested momentum on (as
// `noise` and `product` do), one drops it (as `sequence` and `warmup` do).
const cycler = definePlugin({
  kind: 'schedule',
  name: 'cycler',
  description: 'constant rate, momentum peak − t/100 when cycleMomentum (peak 0.9 unless set)',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { cycleMomentum: { type: 'boolean' }, peak: { type: 'number' } },
  },
  create: (o: { cycleMomentum?: boolean; peak?: number }, ctx: ScheduleContext): Schedule => ({
    at: () => ctx.base,
    phases: [{ name: 'c', start: 0 }],
    ...(o.cycleMomentum ? { momentum: (t: number) => (o.peak ?? 0.9) - t / 100 } : {}),
  }),
});
const wrapper = (name: string, pass: boolean) =>
  definePlugin({
    kind: 'schedule',
    name,
    description: `${pass ? 'passes' : 'drops'} its parts' momentum`,
    schema: { type: 'object', properties: { parts: { type: 'array' } } },
    create: (o: { parts: ScheduleSpec[] }, ctx: ScheduleContext): Schedule => {
      const parts = o.parts.map((spec, k) => ctx.schedule(spec, { total: ctx.total, path: `parts.${k}` }));
      const momentum = parts.find((p) => p.momentum)?.momentum;
      return { at: (t) => parts[0].at(t), phases: parts[0].phases, ...(pass && momentum ? { momentum } : {}) };
    },
  });

const registry = new PluginRegistry();
for (const p of [cycler, wrapper('passes', true), wrapper('drops', false)]) registry.register(p);

function build(spec: ScheduleSpec) {
  const momentumFrom: string[] = [];
  const schedule = buildSchedule(spec, { registry, base: 0.1, unit: 'step', runTotal: 10, momentumFrom });
  return { schedule, momentumFrom };
}
const issues = (spec: ScheduleSpec) => {
  try {
    build(spec);
    return [];
  } catch (error) {
    return (error as { issues: { path: string; message: string }[] }).issues;
  }
};

describe('a schedule’s momentum through buildSchedule', () => {
  it('is kept, and momentumFrom names the schedule that cycles it', () => {
    const top = build({ name: 'cycler', cycleMomentum: true });
    expect(top.schedule.momentum!(5)).toBe(0.9 - 5 / 100);
    expect(top.momentumFrom).toEqual(['schedule']);
    expect(build({ name: 'cycler' }).schedule.momentum).toBeUndefined();
  });

  it('passes through a wrapper that passes it on, naming the nested schedule', () => {
    const { schedule, momentumFrom } = build({
      name: 'passes',
      parts: [{ name: 'cycler' }, { name: 'passes', parts: [{ name: 'cycler', cycleMomentum: true }] }],
    });
    expect(schedule.momentum!(3)).toBe(0.9 - 3 / 100);
    expect(momentumFrom).toEqual(['schedule.parts.1.parts.0']);
  });

  it('is an error where a wrapper drops it, pointing at the nested cycleMomentum', () => {
    const found = issues({ name: 'drops', parts: [{ name: 'cycler', cycleMomentum: true }] });
    expect(found.map((i) => i.path)).toEqual(['schedule.parts.0.cycleMomentum']);
    expect(found[0].message).toMatch(/`drops` at schedule does not pass on the momentum/);
  });

  it('is an error when two nested schedules cycle it', () => {
    const found = issues({
      name: 'passes',
      parts: [
        { name: 'cycler', cycleMomentum: true },
        { name: 'cycler', cycleMomentum: true },
      ],
    });
    expect(found.map((i) => i.path)).toEqual(['schedule.parts.1.cycleMomentum']);
    expect(found[0].message).toMatch(/only one schedule may cycle the momentum; schedule\.parts\.0 already does/);
  });
});

describe('cycleMomentum needs an optimizer with a momentum (PyTorch: momentum or betas in its defaults)', () => {
  it('the optimizers with a momentum or beta1 option', () => {
    expect(momentumOptimizerNames).toEqual(['momentum', 'adam', 'adamax', 'rmsprop']);
  });

  const config = (optimizer: Record<string, unknown>, schedule: Record<string, unknown>) =>
    validateExperiment(
      {
        file: '/x/c.yaml',
        data: {
          name: 'm',
          optimizer: { learningRate: 0.1, ...optimizer },
          schedule,
          train: { epochs: 2, stepsPerEpoch: 5 },
        },
        sources: new Map(),
      } as never,
      registry,
    );

  it.each(optimizerNames)('%s', (name) => {
    const { errors } = config({ name }, { name: 'cycler', cycleMomentum: true });
    if (momentumOptimizerNames.includes(name)) expect(errors).toEqual([]);
    else {
      expect(errors.map((e) => e.path)).toEqual(['schedule.cycleMomentum']);
      expect(errors[0].message).toBe(
        `cycleMomentum needs an optimizer with a momentum or beta1; \`${name}\` has neither`,
      );
      expect(errors[0].hint).toMatch(/momentum, adam, adamax, rmsprop/);
    }
  });

  it('momentum 0 has the key, so it may be cycled (as PyTorch accepts SGD with momentum=0)', () => {
    expect(config({ name: 'momentum', momentum: 0 }, { name: 'cycler', cycleMomentum: true }).errors).toEqual([]);
    expect(config({ name: 'rmsprop', momentum: 0 }, { name: 'cycler', cycleMomentum: true }).errors).toEqual([]);
  });

  it('points at the nested schedule that cycles it', () => {
    const { errors } = config({ name: 'sgd' }, { name: 'passes', parts: [{ name: 'cycler', cycleMomentum: true }] });
    expect(errors.map((e) => e.path)).toEqual(['schedule.parts.0.cycleMomentum']);
  });

  it('every momentum it sets must be one the optimizer accepts (Adam’s beta1 in (0, 1))', () => {
    // Two epochs, unit epoch: the cycler sets peak − t/100 for t = 0, 1, 2.
    const adam = config({ name: 'adam' }, { name: 'cycler', cycleMomentum: true, peak: 1.0 }).errors;
    expect(adam.map((e) => e.path)).toEqual(['schedule.cycleMomentum']);
    expect(adam[0].message).toBe("cycleMomentum sets adam's beta1 to 1 at t=0, outside (0, 1)");
    expect(adam[0].hint).toBe('keep baseMomentum and maxMomentum within (0, 1)');
    const low = config({ name: 'adamax' }, { name: 'cycler', cycleMomentum: true, peak: 0.01 }).errors;
    expect(low.map((e) => e.message)).toEqual(["cycleMomentum sets adamax's beta1 to 0 at t=1, outside (0, 1)"]);
    // SGD momentum and RMSProp momentum only need ≥ 0 (PyTorch allows momentum above 1 too).
    expect(config({ name: 'momentum' }, { name: 'cycler', cycleMomentum: true, peak: 1.5 }).errors).toEqual([]);
    expect(config({ name: 'rmsprop' }, { name: 'cycler', cycleMomentum: true, peak: 0.01 }).errors[0].message).toBe(
      "cycleMomentum sets rmsprop's momentum to -0.01 at t=2, outside [0, ∞)",
    );
  });
});
