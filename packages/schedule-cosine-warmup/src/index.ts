import { cosineRestartsSchedule } from './cosine-restarts.ts';
import { cosineWarmupSchedule } from './cosine-warmup.ts';

export { cosineRestartsSchedule, cosineWarmupSchedule };

export const schedules = [cosineWarmupSchedule, cosineRestartsSchedule];
