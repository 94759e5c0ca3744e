export { assertPhases, expectClose, expectDocumentedSchema, issuePaths, probeTimes, scheduleCtx, withDefaults } from './schedules.ts';
