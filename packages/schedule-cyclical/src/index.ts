import { cyclicalSchedule } from './cyclical.ts';
import { oneCycleSchedule } from './one-cycle.ts';

export { cyclicalSchedule, oneCycleSchedule };

export const schedules = [cyclicalSchedule, oneCycleSchedule];
