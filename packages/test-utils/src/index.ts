export {
  assertPhases,
  coreBuilder,
  create,
  expectClose,
  expectDocumentedSchema,
  issuePaths,
  momentumCycler,
  probeTimes,
  scheduleCtx,
  withDefaults,
} from './schedules.ts';
