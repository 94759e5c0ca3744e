import { mkdirSync, rmSync } from 'node:fs';
import { stringify } from 'yaml';
import type { SweepPlan } from '@anneal/core';
import type { Launcher, TrialOutcome } from './launcher.ts';
import {
  finished,
  paths,
  readManifest,
  stopOrphan,
  trialStatus,
  writeAtomic,
  type SweepManifest,
} from './sweep-dir.ts';
import { writeResults } from './write-results.ts';
import { collectRows, type TrialRow } from './results.ts';

const RESULTS_EVERY_MS = 1000;

export interface SweepProgress {
  total: number;
  done: number;
  running: number;
  failed: number;
  /** The outcome that caused this update, if any. */
  outcome?: TrialOutcome & { point: Record<string, unknown>; seconds: number };
  best?: { id: string; value: number };
  etaSeconds?: number;
  /** Set when a failed trial is queued again (`--retries`). */
  retry?: { id: string; attempt: number; of: number; message?: string };
}

export interface SweepRunOptions {
  launcher: Launcher;
  /** Stop starting trials once more than this many have failed (fail-fast = 0). */
  maxFailures?: number;
  /** Run a failed trial again up to this many times. */
  retries?: number;
  onProgress?(p: SweepProgress): void;
  signal?: AbortSignal;
  plots?: boolean;
}

export interface SweepResult {
  dir: string;
  rows: TrialRow[];
  ran: number;
  skipped: number;
  failed: number;
  stoppedEarly: boolean;
}

/** Lay out a new sweep directory: sweep.json and one runnable config per trial. */
export function createSweepDir(dir: string, plan: SweepPlan): SweepManifest {
  mkdirSync(dir, { recursive: true });
  for (const t of plan.trials)
    writeAtomic(paths.config(dir, t.id), `# Trial ${t.id} of sweep ${plan.name}\n${stringify(t.config)}`);
  const manifest: SweepManifest = {
    name: plan.name,
    createdAt: new Date().toISOString(),
    sweep: plan.sweep,
    keys: plan.keys,
    trials: plan.trials.map((t) => ({ id: t.id, point: t.point, repeat: t.repeat, seed: t.config.seed })),
    dropped: plan.dropped,
  };
  // Written last: a sweep directory with sweep.json is complete enough to resume.
  writeAtomic(paths.manifest(dir), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * Run every trial of the sweep in `dir` that has not finished, through the launcher. Finished
 * trials (completed, diverged, failed) are kept; a trial whose directory says `running` (its
 * process was killed) or has none is started again from scratch, so nothing counts twice.
 */
export async function runSweep(dir: string, options: SweepRunOptions): Promise<SweepResult> {
  const manifest = readManifest(dir);
  const { goal } = manifest.sweep;
  const todo = manifest.trials.filter((t) => !finished(trialStatus(dir, t.id)));
  for (const t of todo) await stopOrphan(dir, t.id);
  const progress: SweepProgress = {
    total: manifest.trials.length,
    done: manifest.trials.length - todo.length,
    running: 0,
    failed: 0,
  };
  const maxFailures = options.maxFailures ?? Infinity;
  const retries = options.retries ?? 0;
  const attempts = new Map<string, number>();
  const queue = [...todo];
  const durations = { sum: 0, n: 0 };
  let stoppedEarly = false;
  let ran = 0;

  // Best among finished trials only: a running trial's partial curve is not a result yet.
  const consider = (rows: TrialRow[]) => {
    for (const r of rows)
      if (
        r.best !== null &&
        finished(r.status) &&
        (!progress.best || (goal === 'max') === r.best > progress.best.value)
      )
        progress.best = { id: r.id, value: r.best };
  };
  // The result files cover every trial, so rewriting them after each one would make a sweep
  // quadratic: they are rewritten at most every RESULTS_EVERY_MS and at least 10× the last
  // write's time apart (and once at the end); the best so far is kept from each new row instead.
  let nextWrite = 0;
  const refreshResults = async (trial?: SweepManifest['trials'][number]) => {
    if (trial) consider(collectRows(dir, { ...manifest, trials: [trial] }));
    if (performance.now() < nextWrite) return;
    const started = performance.now();
    const rows = await writeResults(dir, manifest, { plots: false });
    if (!trial) consider(rows);
    nextWrite = performance.now() + Math.max(RESULTS_EVERY_MS, 10 * (performance.now() - started));
  };
  if (progress.done > 0) await refreshResults();

  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted || progress.failed > maxFailures) {
        stoppedEarly ||= queue.length > 0;
        return;
      }
      const trial = queue.shift();
      if (!trial) return;
      rmSync(paths.trial(dir, trial.id), { recursive: true, force: true });
      progress.running++;
      options.onProgress?.({ ...progress });
      const started = performance.now();
      const outcome = await options.launcher.run({
        id: trial.id,
        configFile: paths.config(dir, trial.id),
        outDir: paths.trial(dir, trial.id),
      });
      const seconds = (performance.now() - started) / 1000;
      progress.running--;
      ran++;
      if (outcome.status === 'interrupted') {
        // Interrupted by us (Ctrl-C): leave it unfinished for --resume.
        continue;
      }
      if (outcome.status === 'failed') {
        const n = (attempts.get(trial.id) ?? 0) + 1;
        attempts.set(trial.id, n);
        if (n <= retries) {
          queue.push(trial);
          options.onProgress?.({
            ...progress,
            retry: { id: trial.id, attempt: n + 1, of: retries + 1, message: outcome.message },
          });
          continue;
        }
        progress.failed++;
        if (trialStatus(dir, trial.id) !== 'failed') {
          // The worker died before the trial could record its failure: record it here.
          writeAtomic(
            paths.summary(dir, trial.id),
            `${JSON.stringify({ status: 'failed', message: outcome.message, name: manifest.name }, null, 2)}\n`,
          );
        }
      }
      progress.done++;
      durations.sum += seconds;
      durations.n++;
      await refreshResults(trial);
      const mean = durations.sum / durations.n;
      const left = manifest.trials.length - progress.done;
      progress.etaSeconds = options.launcher.eta?.(left) ?? (left * mean) / options.launcher.slots;
      options.onProgress?.({ ...progress, outcome: { ...outcome, point: trial.point, seconds } });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.launcher.slots, Math.max(queue.length, 1)) }, worker));
  } finally {
    await options.launcher.close();
  }
  const rows = await writeResults(dir, manifest, { plots: options.plots });
  return { dir, rows, ran, skipped: queue.length, failed: progress.failed, stoppedEarly };
}
