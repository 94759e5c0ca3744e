export {
  assertPhases,
  coreBuilder,
  create,
  expectClose,
  expectDocumentedSchema,
  issuePaths,
  probeTimes,
  scheduleCtx,
  withDefaults,
} from './schedules.ts';
