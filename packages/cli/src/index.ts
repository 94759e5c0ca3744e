// The programmatic API. runExperiment / runSweep take a typed config object (or a file) and do
// what `exp run` / `exp sweep` do; builtinSchedule builds any built-in schedule by name. Below
// them, each command is a plain function taking the composition root's container (createRoot).
export { builtinSchedule, builtinSchedules, runExperiment, runSweep } from './api.ts';
export type { ApiOptions, ExperimentInput, SweepResultSummary } from './api.ts';
export { runCli } from './cli.ts';
export { builtinRegistry, createRoot } from './root.ts';
export { createReporter } from './reporter.ts';
export type { Reporter } from './reporter.ts';
export { loadValid, registryFor } from './load.ts';
export { run } from './commands/run.ts';
export type { RunCommandOptions } from './commands/run.ts';
export { sweep } from './commands/sweep.ts';
export type { SweepOptions } from './commands/sweep.ts';
export { schedule, sweepSchedules } from './commands/schedule.ts';
export { validate } from './commands/validate.ts';
export { report } from './commands/report.ts';
export { lrFind } from './commands/lr-find.ts';
export { plugins } from './commands/plugins.ts';
export { schema } from './commands/schema.ts';
