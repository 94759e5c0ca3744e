import type { DependencyContainer } from 'tsyringe';
import { AnnealError, TOKENS } from '@anneal/core';
import { checkQueueUrl, DEFAULT_PREFIX, ProcessLauncher, runQueueWorker } from '@anneal/sweep';
import { workerArgs, workerScript } from '../launchers.ts';
import { type Outcome, trapInterrupts } from '../boundary.ts';
import type { Reporter } from '../reporter.ts';

export interface WorkerOptions {
  concurrency?: number;
  out?: string;
  prefix?: string;
}

/**
 * `exp worker URL`: run trials of distributed sweeps until stopped. The first SIGTERM or Ctrl-C
 * hands the running trials back to the queue (from their checkpoint, for a worker that shares
 * `--out`) and leaves; a second one leaves at once, and BullMQ's stalled-job check returns them.
 */
export async function worker(
  container: DependencyContainer,
  url: string | undefined,
  options: WorkerOptions,
): Promise<Outcome> {
  const reporter = container.resolve<Reporter>(TOKENS.Reporter);
  const where = url ? 'exp worker' : 'ANNEAL_QUEUE';
  url ??= process.env.ANNEAL_QUEUE;
  if (!url)
    throw new AnnealError('USAGE', 'missing the queue URL', {
      hint: 'exp worker redis://host:6379 (or set ANNEAL_QUEUE)',
    });
  checkQueueUrl(url, where);
  const concurrency = options.concurrency ?? 1;
  const controller = new AbortController();
  // The first signal hands the trials back and leaves; a second one leaves at once (exit 130) and
  // the queue returns the running trials once their locks expire.
  const release = trapInterrupts(() => {
    reporter.info('handing the running trials back to the queue (again to leave at once)…');
    controller.abort();
  });
  try {
    await runQueueWorker({
      target: { url, prefix: options.prefix ?? process.env.ANNEAL_QUEUE_PREFIX ?? DEFAULT_PREFIX },
      concurrency,
      out: options.out ?? 'runs/worker',
      launcher: new ProcessLauncher(concurrency, workerScript(), workerArgs()),
      log: (text) => reporter.info(`[${new Date().toISOString().slice(11, 19)}] ${text}`),
      signal: controller.signal,
      lockMs: process.env.ANNEAL_QUEUE_LOCK_MS ? Number(process.env.ANNEAL_QUEUE_LOCK_MS) : undefined,
    });
    // A worker runs until it is stopped: stopped by a signal is its normal end.
    return controller.signal.aborted ? 'ok' : 'failed';
  } finally {
    release();
  }
}
