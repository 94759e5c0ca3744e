export { createSweepDir, runSweep } from './run-sweep.ts';
export type { SweepProgress, SweepResult, SweepRunOptions } from './run-sweep.ts';
export { ProcessLauncher } from './process-launcher.ts';
export type { Launcher, TrialJob, TrialOutcome } from './launcher.ts';
export {
  collectRows,
  countByStatus,
  groupByPoint,
  md,
  rank,
  rankingTable,
  ranks,
  summaryMarkdown,
  toCsv,
} from './results.ts';
export type { PointStats, TrialRow } from './results.ts';
export { finished, paths, readManifest, stopOrphan, trialStatus } from './sweep-dir.ts';
export { parseManifest } from './manifest.ts';
export { isTrialId, trialPath } from './trial-path.ts';
export type { SweepManifest } from './sweep-dir.ts';
export { writeResults } from './write-results.ts';
