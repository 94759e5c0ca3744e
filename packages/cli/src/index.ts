// The programmatic API: each command is a plain function taking the composition root's
// container (make one with createRoot), so scripts can do what `exp` does.
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
