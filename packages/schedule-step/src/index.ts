import { constantSchedule } from './constant.ts';
import { exponentialSchedule } from './exponential.ts';
import { inverseTimeSchedule } from './inverse-time.ts';
import { linearSchedule } from './linear.ts';
import { multistepSchedule } from './multistep.ts';
import { piecewiseConstantSchedule } from './piecewise-constant.ts';
import { piecewiseInterpolateSchedule } from './piecewise-interpolate.ts';
import { polynomialSchedule } from './polynomial.ts';
import { productSchedule } from './product.ts';
import { sequenceSchedule } from './sequence.ts';
import { stepSchedule } from './step.ts';

export {
  constantSchedule,
  exponentialSchedule,
  inverseTimeSchedule,
  linearSchedule,
  multistepSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
  polynomialSchedule,
  productSchedule,
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
  productSchedule,
  inverseTimeSchedule,
  piecewiseConstantSchedule,
  piecewiseInterpolateSchedule,
];
