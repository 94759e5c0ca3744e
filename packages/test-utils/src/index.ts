export {
  assertPhases,
  coreBuilder,
  expectClose,
  expectDocumentedSchema,
  issuePaths,
  probeTimes,
  scheduleCtx,
  withDefaults,
} from './schedules.ts';
