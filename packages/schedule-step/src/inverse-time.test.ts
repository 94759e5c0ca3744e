import { describe, it } from 'vitest';
import { create, assertPhases, expectClose, scheduleCtx } from '@anneal/test-utils';
import { inverseTimeSchedule } from './inverse-time.ts';
import { kerasInverseTimeDecay } from './reference.ts';

describe('inverse-time: Keras InverseTimeDecay (learning_rate_schedule_test.py, InverseTimeDecayTest)', () => {
  it('test_decay: InverseTimeDecay(0.1, 10, 0.96) over steps 0 … 10', () => {
    const s = create(inverseTimeSchedule, { decayRate: 0.96, decaySteps: 10 }, scheduleCtx(0.1, 10));
    for (let i = 0; i <= 10; i++) expectClose(s.at(i), 0.1 / (1 + (i / 10) * 0.96), `step ${i}`);
    assertPhases(s);
  });

  it('test_staircase: InverseTimeDecay(0.1, 10, 0.96, staircase=True) over steps 0 … 10', () => {
    const s = create(inverseTimeSchedule, { decayRate: 0.96, decaySteps: 10, staircase: true }, scheduleCtx(0.1, 10));
    for (let i = 0; i <= 10; i++) expectClose(s.at(i), 0.1 / (1 + 0.96 * Math.floor(i / 10)), `step ${i}`);
  });

  it.each([
    { base: 0.1, decaySteps: 10, decayRate: 0.96, staircase: false },
    { base: 0.1, decaySteps: 10, decayRate: 0.96, staircase: true },
    { base: 0.5, decaySteps: 3, decayRate: 2.5, staircase: true },
    { base: 1e-3, decaySteps: 1, decayRate: 0.01, staircase: false },
    { base: 0.2, decaySteps: 4, decayRate: 0, staircase: false },
  ])('equals the port of Keras InverseTimeDecay at every step: %o', ({ base, decaySteps, decayRate, staircase }) => {
    const s = create(inverseTimeSchedule, { decayRate, decaySteps, staircase }, scheduleCtx(base, 40));
    for (let t = 0; t <= 150; t++)
      expectClose(s.at(t), kerasInverseTimeDecay(base, decaySteps, decayRate, staircase, t), `t=${t}`);
  });
});
