import { Redis } from 'ioredis';
import type { EpochReport, TrialListener } from './launcher.ts';
import { connectionOptions } from './queue-connection.ts';

/**
 * How a sweep's pruner reaches a trial that runs on an `exp worker`. Two Redis lists per trial,
 * beside BullMQ's keys under the sweep's prefix: the worker appends each epoch's report to
 * `reports`, the controller takes them off in order, asks its pruner and appends the answer to
 * `decisions`, where the worker waits for it (BLPOP). Lists, not pub/sub: a report made while the
 * controller is away waits for it, and a decision waits for the worker, so neither side's restart
 * loses one. The worker waits only while the controller's heartbeat key says it is there; without
 * a controller the trial trains on, and a late stop reaches it at a later epoch.
 */

/** A decision the controller made for one epoch of one trial. */
interface Decision {
  epoch: number;
  stop: boolean;
}

export const pruneKeys = (prefix: string, jobId: string) => ({
  reports: `${prefix}:prune:${jobId}:reports`,
  decisions: `${prefix}:prune:${jobId}:decisions`,
});

/** Set by a live controller, with a short expiry it keeps renewing: workers wait for decisions only while it exists. */
export const controllerKey = (prefix: string, sweepKey: string) => `${prefix}:prune:${sweepKey}:controller`;
export const HEARTBEAT_MS = 2000;
export const HEARTBEAT_TTL_MS = 10_000;
/** Keys a controller never came back for expire, as the jobs do. */
export const PRUNE_KEEP_SECONDS = 7 * 24 * 3600;
/** However alive the controller looks, a trial waits at most this long for one answer, then trains on. */
const MAX_WAIT_MS = 60_000;

/**
 * The worker's side for one trial: a listener for the local launcher's per-epoch reports that
 * forwards each to the controller and returns its decision. `wake` tells the controller a report
 * is there (BullMQ job progress, which its QueueEvents hear at once). Close it when the trial ends.
 */
export function workerPruning(options: {
  url: string;
  prefix: string;
  sweepKey: string;
  jobId: string;
  wake(report: EpochReport): Promise<unknown>;
  onError(error: Error): void;
}): TrialListener & { close(): void } {
  const keys = pruneKeys(options.prefix, options.jobId);
  const alive = controllerKey(options.prefix, options.sweepKey);
  // Its own connection: BLPOP blocks it, and trials of one worker run side by side.
  const redis = new Redis(connectionOptions(options.url));
  redis.on('error', options.onError);
  const parse = (raw: string | null): Decision | undefined => (raw ? (JSON.parse(raw) as Decision) : undefined);

  const ask = async (report: EpochReport): Promise<boolean> => {
    await redis.multi().rpush(keys.reports, JSON.stringify(report)).expire(keys.reports, PRUNE_KEEP_SECONDS).exec();
    await options.wake(report);
    const started = performance.now();
    for (;;) {
      // Decisions come in report order; an older one that arrives late still stops the trial.
      let decision = parse(await redis.lpop(keys.decisions));
      if (!decision) {
        if (!(await redis.exists(alive)) || performance.now() - started > MAX_WAIT_MS) return false;
        const popped = await redis.blpop(keys.decisions, 1);
        decision = parse(popped?.[1] ?? null);
        if (!decision) continue;
      }
      if (decision.stop) return true;
      if (decision.epoch >= report.epoch) return false;
    }
  };
  return {
    // Redis away: the trial trains on rather than wait for it (the report may be lost).
    onEpoch: (report) =>
      Promise.race([
        ask(report),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), MAX_WAIT_MS + 5000).unref()),
      ]).catch(() => false),
    close: () => redis.disconnect(),
  };
}

/**
 * The controller's side: take a trial's waiting reports in order, ask the sweep's pruner (the
 * listener) and send each decision back. Runs once at a time per trial (the caller serialises).
 */
export async function answerReports(redis: Redis, prefix: string, jobId: string, listener: TrialListener) {
  const keys = pruneKeys(prefix, jobId);
  for (;;) {
    const raw = await redis.lpop(keys.reports);
    if (!raw) return;
    const report = JSON.parse(raw) as EpochReport;
    const stop = Boolean(await listener.onEpoch?.(report));
    const decision: Decision = { epoch: report.epoch, stop };
    await redis
      .multi()
      .rpush(keys.decisions, JSON.stringify(decision))
      .expire(keys.decisions, PRUNE_KEEP_SECONDS)
      .exec();
  }
}

/** A finished trial's lists go with its job. */
export const forgetTrial = (redis: Redis, prefix: string, jobId: string) => {
  const keys = pruneKeys(prefix, jobId);
  return redis.del(keys.reports, keys.decisions);
};
