import { constantSchedule } from './constant.ts';
import { exponentialSchedule } from './exponential.ts';
import { linearSchedule } from './linear.ts';
import { multistepSchedule } from './multistep.ts';
import { polynomialSchedule } from './polynomial.ts';
import { sequenceSchedule } from './sequence.ts';
import { stepSchedule } from './step.ts';

export {
  constantSchedule,
  exponentialSchedule,
  linearSchedule,
  multistepSchedule,
  polynomialSchedule,
  sequenceSchedule,
  stepSchedule,
};

export const schedules = [
  constantSchedule,
  stepSchedule,
  multistepSchedule,
  exponentialSchedule,
  polynomialSchedule,
  linearSchedule,
  sequenceSchedule,
];
