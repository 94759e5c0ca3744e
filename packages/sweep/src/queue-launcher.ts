import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import type { Launcher, TrialJob, TrialListener, TrialOutcome } from './launcher.ts';
import {
  connectionOptions,
  isConnectionError,
  probe,
  QUEUE_NAME,
  redact,
  type QueueTarget,
} from './queue-connection.ts';
import { buildPayload, writeResult, type TrialPayload, type TrialResult } from './queue-payload.ts';
import { answerReports, controllerKey, forgetTrial, HEARTBEAT_MS, HEARTBEAT_TTL_MS } from './queue-pruning.ts';
import { writeAtomic } from './sweep-dir.ts';

export interface QueueLauncherOptions {
  target: QueueTarget;
  /** Names this sweep's jobs (`<key>.<trial id>`): sweeps sharing a queue never take each other's trials. */
  sweepKey: string;
  /** Sweep name, recorded in a summary the controller has to write itself (a failed job). */
  name: string;
  /**
   * Trials on the queue at once. Bounds Redis memory (jobs and their results) however large the
   * sweep; it only needs to exceed the slots of all workers together to keep them busy.
   */
  window?: number;
  /** How often the controller checks its in-flight trials against the queue (lost events, a Redis restart). */
  reconcileMs?: number;
  /** Ctrl-C: stop waiting; the trials stay on the queue for the workers and `--resume`. */
  signal?: AbortSignal;
  /** Visible notes: Redis gone, Redis back, trials put on the queue again. */
  notice?(text: string): void;
}

interface InFlight {
  job: TrialJob;
  payload: TrialPayload;
  /** `retry`: putting it on the queue failed (Redis away); the next check tries again. */
  state: 'adding' | 'added' | 'retry';
  resolve(outcome: TrialOutcome): void;
  /** The sweep's pruner, for a trial that reports its epochs (queue-pruning.ts). */
  listener?: TrialListener;
  /** Its reports being answered; `again`: more came meanwhile. */
  answering?: Promise<void>;
  again?: boolean;
}

/** Seven days: completed jobs a controller never came back for do not stay in Redis for ever. */
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * The sweep controller's side of a distributed sweep: each `run` puts one trial on a BullMQ queue
 * (job id = sweep key + trial id, so putting it there twice runs it once) and resolves when a worker
 * has finished it and its result is in the sweep directory. Completion comes from BullMQ's event
 * stream; a periodic check of the in-flight trials catches what the stream missed (controller or
 * Redis restarted) and puts back trials a Redis restart lost.
 */
export class QueueLauncher implements Launcher {
  readonly slots: number;
  private readonly inFlight = new Map<string, InFlight>();
  private readonly collecting = new Set<string>();
  /** Trial id → host, while a worker runs it. */
  private readonly hosts = new Map<string, string>();
  private readonly started = performance.now();
  private finishedHere = 0;
  private timer?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;
  private reconciling = false;
  private down = false;
  private closed = false;

  private constructor(
    private readonly options: QueueLauncherOptions,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    /** Pruning's own commands (queue-pruning.ts), beside BullMQ's connections. */
    private readonly redis: Redis,
  ) {
    this.slots = options.window ?? 1000;
    events.on('completed', ({ jobId }) => void this.collect(jobId));
    events.on('failed', ({ jobId }) => void this.collect(jobId));
    events.on('progress', ({ jobId, data }) => {
      const host = (data as { host?: string })?.host;
      if (host && this.inFlight.has(jobId)) this.hosts.set(jobId, host);
      // A trial with a pruner reports an epoch: its report is waiting in Redis for an answer.
      if ((data as { epoch?: number })?.epoch !== undefined) void this.answer(jobId);
    });
    queue.on('error', (error: Error) => this.lost(error));
    events.on('error', (error: Error) => this.lost(error));
    this.timer = setInterval(() => void this.reconcile(), options.reconcileMs ?? 3000);
    this.timer.unref();
    // Workers wait for pruning decisions only while this controller is there (queue-pruning.ts).
    const beat = () =>
      void redis
        .set(controllerKey(options.target.prefix, options.sweepKey), String(process.pid), 'PX', HEARTBEAT_TTL_MS)
        .catch(() => undefined);
    beat();
    this.heartbeat = setInterval(beat, HEARTBEAT_MS);
    this.heartbeat.unref();
    options.signal?.addEventListener('abort', () => this.abandon(), { once: true });
  }

  /** Checks the URL answers (a clear error within seconds) before anything is queued. */
  static async open(options: QueueLauncherOptions): Promise<QueueLauncher> {
    await probe(options.target.url);
    const launcher = { current: undefined as QueueLauncher | undefined };
    const connection = connectionOptions(options.target.url, () => launcher.current?.lost());
    const common = { connection, prefix: options.target.prefix };
    const queue = new Queue(QUEUE_NAME, common);
    const events = new QueueEvents(QUEUE_NAME, common);
    const redis = new Redis(connection);
    redis.on('error', (error: Error) => launcher.current?.lost(error));
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    launcher.current = new QueueLauncher(options, queue, events, redis);
    return launcher.current;
  }

  run(job: TrialJob, listener?: TrialListener): Promise<TrialOutcome> {
    if (this.options.signal?.aborted) return Promise.resolve({ id: job.id, status: 'interrupted' });
    const jobId = `${this.options.sweepKey}.${job.id}`;
    const payload = buildPayload(this.options.sweepKey, job.id, job.configFile, job.prune);
    return new Promise((resolve) => {
      const entry: InFlight = { job, payload, state: 'adding', resolve, ...(job.prune ? { listener } : {}) };
      this.inFlight.set(jobId, entry);
      void this.add(jobId, entry);
    });
  }

  /** Queued and running trials, by host: what the progress line shows. */
  activity(): string {
    const byHost = new Map<string, number>();
    for (const host of this.hosts.values()) byHost.set(host, (byHost.get(host) ?? 0) + 1);
    const running = [...byHost].map(([h, n]) => `${h} ×${n}`).join(', ');
    const queued = this.inFlight.size - this.hosts.size;
    return `running ${this.hosts.size}${running ? ` (${running})` : ''} · queued ${queued}`;
  }

  /** From the rate trials finished since this controller started: the queue's wait is in it. */
  eta(left: number): number | undefined {
    const seconds = (performance.now() - this.started) / 1000;
    return this.finishedHere > 0 ? (left * seconds) / this.finishedHere : undefined;
  }

  private async add(jobId: string, entry: InFlight): Promise<void> {
    entry.state = 'adding';
    try {
      await this.queue.add('trial', entry.payload, {
        jobId,
        removeOnComplete: { age: KEEP_SECONDS },
        removeOnFail: { age: KEEP_SECONDS },
      });
      entry.state = 'added';
      // Already finished (a resumed sweep whose workers carried on): collect it now.
      const state = await this.queue.getJobState(jobId);
      if (state === 'completed' || state === 'failed') await this.collect(jobId);
      // Running on a worker already (a resumed controller): answer what it reported meanwhile.
      else if (state === 'active') await this.answer(jobId);
    } catch (error) {
      if (entry.state === 'adding') entry.state = 'retry';
      this.lost(error as Error);
    }
  }

  private async collect(jobId: string): Promise<void> {
    const entry = this.inFlight.get(jobId);
    if (!entry || this.collecting.has(jobId)) return;
    this.collecting.add(jobId);
    try {
      const job = await this.queue.getJob(jobId);
      const state = job ? await job.getState() : 'unknown';
      if (!job || (state !== 'completed' && state !== 'failed')) return;
      const { id, outDir } = entry.job;
      // Epochs it reported that nobody answered (the controller was away) still teach the pruner.
      await this.answer(jobId);
      let outcome: TrialOutcome;
      if (state === 'completed') {
        const result = job.returnvalue as TrialResult;
        writeResult(outDir, result, this.options.name);
        outcome = { id, status: result.status, message: result.message, host: result.host };
      } else {
        // BullMQ failed the job itself (stalled too often): the trial has no result.
        const message = `lost on the queue: ${job.failedReason}`;
        writeAtomic(
          join(outDir, 'summary.json'),
          `${JSON.stringify({ status: 'failed', message, name: this.options.name }, null, 2)}\n`,
        );
        outcome = { id, status: 'failed', message };
      }
      this.inFlight.delete(jobId);
      this.hosts.delete(jobId);
      this.finishedHere++;
      // Its result is in the sweep directory now, so the job may go: Redis holds only unfinished work.
      await job.remove().catch(() => undefined);
      if (entry.listener) await forgetTrial(this.redis, this.options.target.prefix, jobId).catch(() => undefined);
      entry.resolve(outcome);
    } catch (error) {
      this.lost(error as Error);
    } finally {
      this.collecting.delete(jobId);
    }
  }

  /** Every in-flight trial against the queue: finished ones are collected, missing ones queued again. */
  private async reconcile(): Promise<void> {
    if (this.reconciling) return;
    this.reconciling = true;
    try {
      // While Redis is away this waits (ioredis queues the command); its answer means Redis is back.
      await this.queue.count();
      if (this.down) {
        this.down = false;
        this.options.notice?.('queue: Redis is back; checking the trials in flight');
      }
      let requeued = 0;
      for (const [jobId, entry] of [...this.inFlight]) {
        if (entry.state === 'retry') {
          await this.add(jobId, entry);
          continue;
        }
        if (entry.state !== 'added' || this.collecting.has(jobId)) continue;
        const state = await this.queue.getJobState(jobId);
        if (state === 'completed' || state === 'failed') await this.collect(jobId);
        else if (state === 'active') await this.answer(jobId);
        else if (state === 'unknown' && this.inFlight.get(jobId) === entry) {
          // Not on the queue, not collected: Redis lost it (a restart without persistence).
          this.hosts.delete(jobId);
          await this.add(jobId, entry);
          requeued++;
        }
      }
      if (requeued) this.options.notice?.(`queue: put ${requeued} trials back that Redis no longer had`);
    } catch (error) {
      this.lost(error as Error);
    } finally {
      this.reconciling = false;
    }
  }

  /**
   * Answer a trial's waiting epoch reports with the pruner's decisions, one pass at a time per trial
   * (reports must reach the pruner in order); a wake-up during a pass makes it look again.
   */
  private answer(jobId: string): Promise<void> {
    const entry = this.inFlight.get(jobId);
    if (!entry?.listener) return Promise.resolve();
    if (entry.answering) {
      entry.again = true;
      return entry.answering;
    }
    const listener = entry.listener;
    entry.answering = (async () => {
      do {
        entry.again = false;
        await answerReports(this.redis, this.options.target.prefix, jobId, listener);
      } while (entry.again);
    })()
      // Closing cuts a pass short: not a lost Redis.
      .catch((error: Error) => {
        if (!this.closed) this.lost(error);
      })
      .finally(() => {
        entry.answering = undefined;
      });
    return entry.answering;
  }

  private lost(error?: Error): void {
    if (error && !isConnectionError(error)) {
      this.options.notice?.(`queue: ${error.message}`);
      return;
    }
    if (this.down) return;
    this.down = true;
    const why = error?.message ? ` (${error.message})` : '';
    this.options.notice?.(
      `queue: Redis at ${redact(this.options.target.url)} is unreachable${why}; waiting and retrying…`,
    );
  }

  /** Ctrl-C: every waiting trial is reported interrupted; the jobs stay on the queue for `--resume`. */
  private abandon(): void {
    for (const [jobId, entry] of this.inFlight) {
      this.inFlight.delete(jobId);
      entry.resolve({ id: entry.job.id, status: 'interrupted' });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    // Gone: workers stop waiting for decisions at once and train on.
    await Promise.race([
      this.redis.del(controllerKey(this.options.target.prefix, this.options.sweepKey)).catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    this.redis.disconnect();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
  }
}
