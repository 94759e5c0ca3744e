import { describe, expect, it } from 'vitest';
import { exponentialSchedule } from './exponential.ts';
import {
  create,
  assertPhases,
  coreBuilder,
  expectClose,
  issuePaths,
  probeTimes,
  scheduleCtx,
} from '@anneal/test-utils';
import { kerasExponentialDecay, optaxExponentialDecay, torchExponentialLR } from './reference.ts';

describe('exponential', () => {
  it.each([
    { base: 0.1, gamma: 0.9, total: 20 },
    { base: 1, gamma: 0.5, total: 10 },
    { base: 3e-4, gamma: 0.999, total: 100 },
    { base: 0.01, gamma: 1.01, total: 30 },
  ])('matches PyTorch ExponentialLR: %o', ({ base, gamma, total }) => {
    const s = create(exponentialSchedule, { gamma }, scheduleCtx(base, total));
    const times = probeTimes([], total);
    const ref = torchExponentialLR(base, gamma, times[times.length - 1] + 1);
    for (const t of times) expectClose(s.at(t), ref[t], `t=${t}`);
    assertPhases(s);
  });

  it('decays strictly and stays positive for gamma < 1', () => {
    const s = create(exponentialSchedule, { gamma: 0.8 }, scheduleCtx(0.1, 50));
    expect(s.at(0)).toBe(0.1);
    for (let t = 1; t < 100; t++) {
      expect(s.at(t)).toBeLessThan(s.at(t - 1));
      expect(s.at(t)).toBeGreaterThan(0);
    }
  });
});

describe('exponential: Keras ExponentialDecay (learning_rate_schedule_test.py, ExponentialDecayTest)', () => {
  it('test_continuous: ExponentialDecay(0.05, 10, 0.96) at step 5', () => {
    const s = create(exponentialSchedule, { gamma: 0.96, decaySteps: 10 }, scheduleCtx(0.05, 100));
    expectClose(s.at(5), 0.05 * 0.96 ** (5 / 10), 'step 5');
  });

  it('test_staircase and test_variables: ExponentialDecay(0.1, 3, 0.96, staircase=True) at steps 1, 2, 100', () => {
    const s = create(exponentialSchedule, { gamma: 0.96, decaySteps: 3, staircase: true }, scheduleCtx(0.1, 100));
    expectClose(s.at(1), 0.1, 'step 1: no change yet');
    expectClose(s.at(2), 0.1, 'step 2: no change yet');
    expectClose(s.at(100), 0.1 * 0.96 ** Math.floor(100 / 3), 'step 100');
  });

  it.each([
    { base: 0.05, decaySteps: 10, gamma: 0.96, staircase: false },
    { base: 0.1, decaySteps: 3, gamma: 0.96, staircase: true },
    { base: 0.3, decaySteps: 7, gamma: 0.5, staircase: true },
    { base: 0.01, decaySteps: 4, gamma: 1.2, staircase: false },
  ])('equals the port of Keras ExponentialDecay at every step: %o', ({ base, decaySteps, gamma, staircase }) => {
    const s = create(exponentialSchedule, { gamma, decaySteps, staircase }, scheduleCtx(base, 40));
    for (let t = 0; t <= 120; t++)
      expectClose(s.at(t), kerasExponentialDecay(base, decaySteps, gamma, staircase, t), `t=${t}`);
  });
});

describe('exponential: optax exponential_decay (_schedule_test.py, ExponentialTest)', () => {
  it.each([
    [false, 0],
    [true, 0],
    [false, 5],
    [true, 5],
  ])(
    'test_exponential: staircase %s, transition_begin %i (init 1, transition_steps 2, decay_rate 2)',
    (staircase, begin) => {
      const s = create(
        exponentialSchedule,
        { gamma: 2, decaySteps: 2, staircase, transitionBegin: begin },
        scheduleCtx(1, 20),
      );
      const staircased = (count: number) => (staircase ? Math.floor(count / 2) : count / 2);
      const expected = [...Array(begin).fill(1), ...Array.from({ length: 15 }, (_, c) => 2 ** staircased(c))];
      expected.forEach((want, t) => expectClose(s.at(t), want, `t=${t}`));
    },
  );

  it.each([
    [0.2, 0.1, false],
    [1.0, 0.1, false],
    [2.0, 3.0, false],
    [0.2, 0.1, true],
    [1.0, 0.1, true],
    [2.0, 3.0, true],
  ])('test_end_value_with_staircase: decay_rate %f, end_value %f, staircase %s', (gamma, endValue, staircase) => {
    const s = create(
      exponentialSchedule,
      { gamma, decaySteps: 2, transitionBegin: 3, staircase, endValue },
      scheduleCtx(1, 14),
    );
    const staircased = (count: number) => (staircase ? Math.floor(count / 2) : count / 2);
    const raw = [...Array(3).fill(1), ...Array.from({ length: 11 }, (_, c) => gamma ** staircased(c))];
    const expected = raw.map((v) => (gamma < 1 ? Math.max(v, endValue) : Math.min(v, endValue)));
    expected.forEach((want, t) => expectClose(s.at(t), want, `t=${t}`));
    const port = optaxExponentialDecay(1, 2, gamma, 3, staircase, endValue);
    for (let t = 0; t < 40; t++) expectClose(s.at(t), port(t), `port t=${t}`);
  });

  it('test_constant_schedule: decay_rate 1 is the initial value', () => {
    for (const staircase of [false, true]) {
      const s = create(exponentialSchedule, { gamma: 1, decaySteps: 15, staircase }, scheduleCtx(1, 15));
      for (let t = 0; t < 15; t++) expect(s.at(t)).toBe(1);
    }
  });

  it('test_immutable_count: init 32, transition_steps 1, decay_rate 0.5', () => {
    const s = create(exponentialSchedule, { gamma: 0.5 }, scheduleCtx(32, 5));
    expect([0, 1, 2, 3, 4].map((t) => s.at(t))).toEqual([32, 16, 8, 4, 2]);
  });

  it('test_nonvalid_transition_steps and test_nonvalid_decay_rate: optax falls back to a constant; anneal rejects', () => {
    for (const transitionSteps of [-1, 0]) {
      const port = optaxExponentialDecay(1, transitionSteps, 1);
      for (let t = 0; t < 15; t++) expect(port(t)).toBe(1);
    }
    const zeroRate = optaxExponentialDecay(1, 2, 0);
    for (let t = 0; t < 15; t++) expect(zeroRate(t)).toBe(1);
    const build = coreBuilder([exponentialSchedule]);
    expect(issuePaths(() => build({ name: 'exponential', gamma: 0.5, decaySteps: 0 }))).toEqual([
      'schedule.decaySteps',
    ]);
    expect(issuePaths(() => build({ name: 'exponential', gamma: 0 }))).toEqual(['schedule.gamma']);
    expect(issuePaths(() => build({ name: 'exponential', gamma: 0.5, transitionBegin: -1 }))).toEqual([
      'schedule.transitionBegin',
    ]);
  });

  it('holds at base through transitionBegin and accepts durations', () => {
    const build = coreBuilder([exponentialSchedule]);
    const s = build({ name: 'exponential', gamma: 0.5, decaySteps: '1ep', transitionBegin: '2ep' });
    expect(s.at(20)).toBe(0.1);
    expectClose(s.at(30), 0.05, 'one epoch after the begin');
    expect(s.phases).toEqual([
      { name: 'hold', start: 0 },
      { name: 'decay', start: 20 },
    ]);
  });
});
