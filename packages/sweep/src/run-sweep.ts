import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  AnnealError,
  LOCK_FILE,
  planSweep,
  RUN_FORMAT,
  SWEEP_FORMAT,
  type PluginRegistry,
  type SweepPlan,
} from '@anneal/core';
import type { Launcher, TrialListener, TrialOutcome } from './launcher.ts';
import { createPruner, type PrunerConfig, type PrunerState } from './pruners.ts';
import {
  finished,
  paths,
  readManifest,
  stopOrphan,
  trialStatus,
  writeAtomic,
  type SweepManifest,
} from './sweep-dir.ts';
import { openTpe, observation } from './tpe-sweep.ts';
import { writeResults } from './write-results.ts';
import { collectRow, ranks, type TrialRow } from './results.ts';

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
  /**
   * How a TPE sweep turns a proposal into a trial: its plan, `await loadSweepPlan(dir, registry)`
   * (grid and random sweeps planned every trial up front and need none).
   */
  plan?: Pick<SweepPlan, 'trialAt'>;
}

export interface SweepResult {
  dir: string;
  rows: TrialRow[];
  ran: number;
  skipped: number;
  failed: number;
  stoppedEarly: boolean;
  /** A TPE sweep's budget not yet proposed (stopped by Ctrl-C or failures); 0 for grid and random. */
  unproposed: number;
  /** The trials this call ran to an end (completed, pruned, diverged, failed), in the order they ended. */
  finishOrder: TrialRow[];
}

const pendingRow = (t: SweepManifest['trials'][number]): TrialRow => ({
  ...t,
  status: 'pending',
  final: null,
  best: null,
  bestEpoch: null,
  epochs: 0,
  seconds: null,
});

/** While trials run, the results files are rewritten at most this often (and always at the end). */
const RESULTS_EVERY_MS = 5_000;

/**
 * Lay out a new sweep directory: sweep.json and one runnable config per trial. The directory
 * must be new or empty (its lock aside), as for `exp run --out`: a sweep never writes over
 * other files.
 */
export function createSweepDir(dir: string, plan: SweepPlan): SweepManifest {
  const present = existsSync(dir) ? readdirSync(dir).filter((f) => f !== LOCK_FILE) : [];
  if (present.length > 0) {
    const isSweep = present.includes('sweep.json');
    throw new AnnealError('USAGE', `${dir} already exists and is not empty${isSweep ? ' (it holds a sweep)' : ''}`, {
      hint: isSweep
        ? `continue it with \`exp sweep --resume ${dir}\`, or choose a new directory`
        : 'choose a new directory, or remove this one',
    });
  }
  mkdirSync(dir, { recursive: true });
  // A TPE sweep's seed is fixed here, so a resume (or a changed default) proposes the same sequence.
  const sweep =
    plan.sweep.method === 'tpe' ? { ...plan.sweep, seed: plan.sweep.seed ?? plan.base.config.seed } : plan.sweep;
  if (sweep.method === 'tpe')
    writeAtomic(
      paths.base(dir),
      `# What every TPE proposal of sweep ${plan.name} starts from (loadSweepPlan)\n${stringify({ ...plan.base.config, sweep })}`,
    );
  for (const t of plan.trials)
    writeAtomic(paths.config(dir, t.id), `# Trial ${t.id} of sweep ${plan.name}\n${stringify(t.config)}`);
  const manifest: SweepManifest = {
    formatVersion: SWEEP_FORMAT,
    name: plan.name,
    createdAt: new Date().toISOString(),
    sweep,
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
  // TPE: trials are proposed while the sweep runs; recorded ones that did not finish run first.
  const tpe = manifest.sweep.method === 'tpe' ? openTpe(dir, manifest, options.plan) : undefined;
  const planned = () => manifest.trials.length + (tpe?.remaining() ?? 0);
  const progress: SweepProgress = {
    total: planned(),
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
  const finishOrder: string[] = [];

  // Keep the per-trial cost flat in the sweep's size: a finished trial's row is read once (when
  // it finishes) and cached, the best is updated from that one row, and the results files are
  // rewritten at most every RESULTS_EVERY_MS while trials run (always at the end), rather than
  // every trial re-read and every file rewritten after each trial.
  const pruning = manifest.sweep.pruner ? openPruning(dir, manifest) : undefined;
  const finishedRows = new Map<string, TrialRow>();
  const waiting = new Set(todo.map((t) => t.id));
  const byId = new Map(manifest.trials.map((t) => [t.id, t]));
  const currentRows = () =>
    manifest.trials.map(
      (t) => finishedRows.get(t.id) ?? (waiting.has(t.id) ? pendingRow(t) : collectRow(dir, manifest, t)),
    );
  const better = (a: number, b: number) => (goal === 'max' ? a > b : a < b);
  const noteFinished = (id: string) => {
    const row = collectRow(dir, manifest, byId.get(id)!);
    if (finished(row.status)) finishedRows.set(id, row);
    // Best among completed trials only: a running trial's partial curve, or a failed or
    // diverged trial's, is not a result to rank.
    if (ranks(row) && (!progress.best || better(row.best, progress.best.value)))
      progress.best = { id: row.id, value: row.best };
  };
  let lastWrite = 0;
  // Trials finishing together must not write the results at once: the TensorBoard hparams file is
  // rewritten in place, and two rewrites in one second collided (EEXIST). One write at a time.
  let writing: Promise<unknown> = Promise.resolve();
  const refreshResults = async (id?: string) => {
    if (id) noteFinished(id);
    if (performance.now() - lastWrite >= RESULTS_EVERY_MS) {
      lastWrite = performance.now();
      const write = writing.then(() => writeResults(dir, manifest, { plots: false, rows: currentRows() }));
      writing = write.catch(() => undefined);
      await write;
      lastWrite = performance.now();
    }
  };
  for (const t of manifest.trials) if (!waiting.has(t.id)) noteFinished(t.id);
  if (progress.done > 0) await refreshResults();

  // The next trial: a planned (or recorded) one, else a new TPE proposal from the trials
  // finished so far, in proposal order (Optuna's trial numbers order its weights).
  const next = () => {
    const queued = queue.shift();
    if (queued || !tpe) return queued;
    for (;;) {
      const history = manifest.trials.flatMap((t) => {
        const row = finishedRows.get(t.id);
        const o = row && observation(row, goal);
        return o ? [o] : [];
      });
      const made = tpe.propose(history);
      if (!made) return undefined;
      if (made.trial) {
        manifest.trials.push(made.trial);
        byId.set(made.trial.id, made.trial);
      }
      // A dropped or duplicate proposal spends budget without a trial.
      progress.total = planned();
      if (made.trial) return made.trial;
    }
  };

  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted || progress.failed > maxFailures) {
        stoppedEarly ||= queue.length + (tpe?.remaining() ?? 0) > 0;
        return;
      }
      const trial = next();
      if (!trial) return;
      rmSync(paths.trial(dir, trial.id), { recursive: true, force: true });
      finishedRows.delete(trial.id); // a retry starts afresh
      waiting.delete(trial.id);
      progress.running++;
      options.onProgress?.({ ...progress });
      const started = performance.now();
      const outcome = await options.launcher.run(
        {
          id: trial.id,
          configFile: paths.config(dir, trial.id),
          outDir: paths.trial(dir, trial.id),
          ...(pruning ? { prune: true } : {}),
        },
        pruning?.listener(trial.id),
      );
      if (outcome.status === 'completed') pruning?.completed(trial.id);
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
            `${JSON.stringify({ formatVersion: RUN_FORMAT, status: 'failed', message: outcome.message, name: manifest.name }, null, 2)}\n`,
          );
        }
      }
      progress.done++;
      finishOrder.push(trial.id);
      durations.sum += seconds;
      durations.n++;
      await refreshResults(trial.id);
      const mean = durations.sum / durations.n;
      const left = progress.total - progress.done;
      progress.etaSeconds = options.launcher.eta?.(left) ?? (left * mean) / options.launcher.slots;
      options.onProgress?.({ ...progress, outcome: { ...outcome, point: trial.point, seconds } });
    }
  };
  try {
    await Promise.all(
      Array.from(
        { length: Math.min(options.launcher.slots, Math.max(queue.length + (tpe?.remaining() ?? 0), 1)) },
        worker,
      ),
    );
  } finally {
    await options.launcher.close();
  }
  const rows = await writeResults(dir, manifest, { plots: options.plots });
  const byRow = new Map(rows.map((r) => [r.id, r]));
  return {
    dir,
    rows,
    ran,
    skipped: queue.length + (tpe?.remaining() ?? 0),
    failed: progress.failed,
    stoppedEarly,
    unproposed: tpe?.remaining() ?? 0,
    finishOrder: finishOrder.flatMap((id) => byRow.get(id) ?? []),
  };
}

/** The largest value a swept numeric key can take (0 when it is not swept). */
function sweptMax(manifest: SweepManifest, key: string): number {
  const p = manifest.sweep.parameters[key];
  if (!p) return 0;
  const values = Array.isArray(p) ? p : [p.max];
  return Math.max(0, ...values.filter((v): v is number => typeof v === 'number'));
}

/**
 * The sweep's pruner, its state saved in `pruner.json` after every decision, so a resumed sweep
 * keeps every record and stop already made (pruned trials are finished and not run again).
 */
function openPruning(dir: string, manifest: SweepManifest) {
  const spec = manifest.sweep.pruner!;
  const config: PrunerConfig = {
    name: spec.name,
    metric: spec.metric ?? manifest.sweep.metric,
    mode: spec.mode ?? manifest.sweep.goal,
    minEpochs: spec.minEpochs ?? 1,
    reductionFactor: spec.reductionFactor ?? 3,
    startupTrials: spec.startupTrials ?? 5,
  };
  // ASHA's rungs stop below the longest run; each trial's length is in its config (a TPE
  // sweep's are not all written yet: its base config and any swept train.epochs bound them).
  const epochsOf = (file: string) => Number(parse(readFileSync(file, 'utf8'))?.train?.epochs) || 1;
  const maxEpochs = Math.max(
    ...manifest.trials.map((t) => epochsOf(paths.config(dir, t.id))),
    ...(manifest.sweep.method === 'tpe' ? [epochsOf(paths.base(dir)), sweptMax(manifest, 'train.epochs')] : []),
  );
  const file = join(dir, 'pruner.json');
  const state = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PrunerState) : undefined;
  const pruner = createPruner(config, maxEpochs, state);
  const save = () => writeAtomic(file, `${JSON.stringify({ config, ...pruner.toJSON() }, null, 2)}\n`);
  return {
    listener: (id: string): TrialListener => ({
      onEpoch(report) {
        const value = report[config.metric];
        const decision = pruner.report(id, report.epoch + 1, typeof value === 'number' ? value : null);
        save();
        return decision === 'stop';
      },
    }),
    completed(id: string) {
      pruner.complete(id);
      save();
    },
  };
}

/**
 * A TPE sweep's plan, from the base config its directory keeps: what `runSweep` needs (`plan`)
 * to turn proposals into trials, on the first run and on `--resume` alike.
 */
export function loadSweepPlan(dir: string, registry: PluginRegistry): Promise<SweepPlan> {
  return planSweep(paths.base(dir), [], registry);
}
