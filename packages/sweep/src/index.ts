export { createSweepDir, loadSweepPlan, runSweep } from './run-sweep.ts';
export type { SweepProgress, SweepResult, SweepRunOptions } from './run-sweep.ts';
export { ProcessLauncher } from './process-launcher.ts';
export type { EpochReport, Launcher, TrialJob, TrialListener, TrialOutcome } from './launcher.ts';
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
export { QueueLauncher } from './queue-launcher.ts';
export type { QueueLauncherOptions } from './queue-launcher.ts';
export { runQueueWorker } from './queue-worker.ts';
export type { QueueWorkerOptions } from './queue-worker.ts';
export { checkQueueUrl, DEFAULT_PREFIX, hasPassword, probe, redact, withoutPassword } from './queue-connection.ts';
export type { QueueTarget } from './queue-connection.ts';
export type { TrialPayload, TrialResult } from './queue-payload.ts';
export { newSweepKey, readQueueRecord, writeQueueRecord } from './queue-record.ts';
export type { QueueRecord } from './queue-record.ts';
export { ashaExpectedEpochs, ashaRungs, createPruner } from './pruners.ts';
export type { Pruner, PrunerConfig, PrunerState } from './pruners.ts';
export { proposeTpe, tpeDefaults } from './tpe.ts';
export type { TpeObservation, TpeOptions, TpeParameter } from './tpe.ts';
export { proposalRandom } from './tpe-sweep.ts';
export { readProposals } from './proposals.ts';
export type { Proposal } from './proposals.ts';
export { pairedTest, summarize, welchTest } from './stats.ts';
export type { Summary, TestResult } from './stats.ts';
