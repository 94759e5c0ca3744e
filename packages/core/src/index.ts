export { AnnealError, errorCodes, formatIssue, formatLocation, isAnnealError } from './errors.ts';
export type { ErrorCode, Issue, Location } from './errors.ts';
export { definePlugin, duration, filePath, nestedScheduleSchema, pluginKinds } from './plugin.ts';
export type { JSONSchema, Plugin, PluginContext, PluginDefinition, PluginKind } from './plugin.ts';
export { maxListedPhases } from './schedule.ts';
export type { Phase, Schedule, ScheduleContext, ScheduleSpec, ScheduleUnit } from './schedule.ts';
export type {
  ExperimentConfig,
  MonitorMode,
  PluginSection,
  ReduceOnPlateauConfig,
  ScheduleSection,
  SweepConfig,
  SweepParameter,
} from './config-types.ts';
export { PluginRegistry } from './registry.ts';
export { loadExperiment } from './experiment.ts';
export type { LoadedExperiment } from './experiment.ts';
export { validateExperiment } from './validate.ts';
export { addPrecompiledValidators, ajvOptions, schemaKey } from './ajv.ts';
export type { SchemaValidator } from './ajv.ts';
export type { RunLength, ValidationResult } from './validate.ts';
export { buildSchedule } from './build-schedule.ts';
export type { ScheduleEnv } from './build-schedule.ts';
export { runPlan } from './run-plan.ts';
export type { RunPlan } from './run-plan.ts';
export { createSchedule } from './create-schedule.ts';
export type { Duration, ScheduleSpecOf, ScheduleTime, TimedSchedule } from './create-schedule.ts';
export { parseDuration } from './durations.ts';
export { cycleAt } from './cycles.ts';
export { editorSchema } from './editor-schema.ts';
export { experimentSchema } from './experiment-schema.ts';
export { momentumOptimizerNames, optimizerNames, optimizerOptions, optimizerSchema } from './optimizer-schema.ts';
export { applyOverrides, parseOverride } from './overrides.ts';
export type { Override } from './overrides.ts';
export { composeFile, deepMerge } from './compose.ts';
export { parseYaml, readYamlFile } from './yaml-file.ts';
export type { YamlFile } from './yaml-file.ts';
export { locate } from './sources.ts';
export type { Sources } from './sources.ts';
export { didYouMean } from './suggest.ts';
export { getPath, parsePath, isPlainObject } from './paths.ts';
export { TOKENS } from './tokens.ts';
export {
  canonicalJson,
  evalConstraint,
  expandSweep,
  sampleParameter,
  seededRandom,
  parseSweepValue,
  planSweep,
  splitSweepArgs,
  tpeStartupTrials,
  trialId,
} from './sweep/index.ts';
export type { DroppedPoint, SweepPlan, SweepPoint, Trial } from './sweep/index.ts';
export { limits } from './limits.ts';
export { expCommand, invokedAs } from './invocation.ts';
export { checkMetric, metricNames } from './metrics.ts';
export { EXPIRE_MS, HEARTBEAT_MS, LOCK_FILE, lockDir, ownerIsLive, processStartTime, readLock } from './dir-lock.ts';
export type { DirLock, LockOwner } from './dir-lock.ts';
export { writeError, writeFileAtomic } from './atomic-write.ts';
export { checkFormat, checkRunDir, RUN_FORMAT, SWEEP_FORMAT } from './dir-format.ts';
export { formatNumber, formatValue } from './format-number.ts';
