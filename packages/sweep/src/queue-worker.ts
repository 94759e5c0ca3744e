import { rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type Job, WaitingError, Worker } from 'bullmq';
import type { Launcher } from './launcher.ts';
import {
  connectionOptions,
  isConnectionError,
  probe,
  QUEUE_NAME,
  redact,
  type QueueTarget,
} from './queue-connection.ts';
import {
  finishedRun,
  materialize,
  readResultFiles,
  resumable,
  type TrialPayload,
  type TrialResult,
} from './queue-payload.ts';
import { workerPruning } from './queue-pruning.ts';

export interface QueueWorkerOptions {
  target: QueueTarget;
  /** Trials at once on this host, one worker process each. */
  concurrency: number;
  /** Run directories go to `<out>/<sweep key>/<trial id>`; share it between hosts to continue from checkpoints. */
  out: string;
  /** Runs the trials: the local launcher's long-lived worker processes. */
  launcher: Launcher & { interrupt(): void; warm?(): void };
  /** What this worker is doing, a line at a time. */
  log(text: string): void;
  /** Stop: running trials are handed back to the queue, then the worker leaves. */
  signal: AbortSignal;
  host?: string;
  /**
   * How long a job's lock lasts without renewal. A worker killed with -9 stops renewing, and after
   * this long another worker's stalled-job check puts the trial back on the queue.
   */
  lockMs?: number;
}

/**
 * `exp worker`: take trials from the queue and run them, until stopped. Trial failures are results
 * (the job completes with status `failed`); BullMQ's own failure is kept for a job that stalled
 * too often.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  await probe(options.target.url);
  const host = options.host ?? hostname();
  const out = resolve(options.out);
  const { log } = options;
  let down = false;
  const lost = (error?: Error) => {
    if (down) return;
    down = true;
    log(
      `Redis at ${redact(options.target.url)} is unreachable${error?.message ? ` (${error.message})` : ''}; waiting and retrying…`,
    );
  };
  const lockDuration = options.lockMs ?? 10_000;

  const processor = async (job: Job<TrialPayload, TrialResult>, token?: string): Promise<TrialResult> => {
    if (down) {
      down = false;
      log('Redis is back');
    }
    const payload = job.data;
    const root = join(out, payload.sweep);
    const runDir = join(root, payload.id);
    // Where it runs, for the controller's progress line: not worth delaying the trial for.
    void job.updateProgress({ host, runDir, pid: process.pid }).catch(() => undefined);
    const label = `${payload.sweep} ${payload.id}`;
    // A run this host (or one sharing `--out`) already finished: send it again, do not retrain.
    const done = finishedRun(runDir);
    if (done) {
      log(`${label}: already ${done.status} in ${runDir}; sending the result`);
      return { host, runDir, ...done, files: readResultFiles(runDir) };
    }
    const resume = resumable(runDir);
    if (!resume) rmSync(runDir, { recursive: true, force: true });
    log(`${label}: ${resume ? 'continuing from its last checkpoint' : 'starting'} in ${runDir}`);
    const started = performance.now();
    // With a pruner, each epoch goes to the sweep's controller and its decision comes back.
    const pruning = payload.prune
      ? workerPruning({
          url: options.target.url,
          prefix: options.target.prefix,
          sweepKey: payload.sweep,
          jobId: job.id!,
          wake: (report) => job.updateProgress({ host, runDir, pid: process.pid, epoch: report.epoch }),
          onError: (error) => (isConnectionError(error) ? lost(error) : log(`queue: ${error.message}`)),
        })
      : undefined;
    const outcome = await options.launcher
      .run(
        { id: payload.id, configFile: materialize(payload, root), outDir: runDir, resume, prune: payload.prune },
        pruning,
      )
      .finally(() => pruning?.close());
    if (outcome.status === 'interrupted' && options.signal.aborted && token) {
      // Handed back: another worker takes it (from the checkpoint, when it sees this `--out`).
      log(`${label}: interrupted; handing it back to the queue`);
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    log(
      `${label}: ${outcome.status} in ${seconds}s${outcome.message ? ` (${outcome.message.replace(/\s*\n\s*/g, ' ')})` : ''}`,
    );
    // The message names this host, so a missing data file or plugin says where it is missing.
    let message = outcome.status === 'failed' ? `on ${host}: ${outcome.message ?? 'failed'}` : outcome.message;
    if (outcome.status === 'failed' && /plugin .*(not found|failed to load)/.test(message ?? ''))
      message += `\nhint: only a self-contained one-file plugin travels with the job; one with relative imports or npm dependencies must be installed on ${host} (docs/distributed.md)`;
    return { host, runDir, status: outcome.status, ...(message ? { message } : {}), files: readResultFiles(runDir) };
  };

  const worker = new Worker<TrialPayload, TrialResult>(QUEUE_NAME, processor, {
    connection: connectionOptions(options.target.url, () => lost()),
    prefix: options.target.prefix,
    concurrency: options.concurrency,
    lockDuration,
    stalledInterval: Math.max(1000, lockDuration / 2),
    // A trial whose worker died three times is probably what kills it: fail it rather than kill a fourth.
    maxStalledCount: 2,
    autorun: false,
  });
  worker.on('error', (error) => (isConnectionError(error) ? lost(error) : log(`queue: ${error.message}`)));
  worker.on('stalled', (jobId) => log(`${jobId}: its worker stopped answering; back on the queue`));
  await worker.waitUntilReady();
  // Its processes (and tfjs) load now, while the queue may still be empty: not in a trial's time.
  options.launcher.warm?.();
  log(
    `worker ${host} (pid ${process.pid}): taking trials from ${redact(options.target.url)} (prefix ${options.target.prefix}), ${options.concurrency} at a time, run directories in ${out}`,
  );
  const stop = async () => {
    log('stopping: running trials are handed back to the queue…');
    const closing = worker.close();
    options.launcher.interrupt();
    await closing;
  };
  const stopped = new Promise<void>((done) => {
    if (options.signal.aborted) done();
    options.signal.addEventListener('abort', () => done(), { once: true });
  });
  const running = worker.run();
  await stopped;
  await stop();
  await running.catch(() => undefined);
  await options.launcher.close();
  log('worker stopped');
}
