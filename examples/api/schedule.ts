import { createSchedule } from '@anneal/core';
import { schedules } from '@anneal/schedule-cosine-warmup';

// Linear warm-up over the first epoch, then a cosine down to 1e-5, counted in steps.
const lr = createSchedule(
  schedules,
  { name: 'cosine-warmup', warmup: '1ep', epsilon: 1e-5 },
  { base: 0.01, total: '10ep', unit: 'step', stepsPerEpoch: 100 },
);
console.log(lr.at(0), lr.at(50), lr.at(100), lr.at(1000)); // 0 0.005 0.01 0.00001
console.log(lr.phases); // warmup from 0, decay from 100, floor from 1000
