import { noiseAt, noiseSchedule } from './noise.ts';
import { tanhSchedule } from './tanh.ts';
import { warmupSchedule } from './warmup.ts';

export { noiseAt, noiseSchedule, tanhSchedule, warmupSchedule };

export const schedules = [tanhSchedule, warmupSchedule, noiseSchedule];
