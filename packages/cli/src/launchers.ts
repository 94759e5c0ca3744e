import { AnnealError } from '@anneal/core';
import { fileURLToPath } from 'node:url';
import type { Launcher, QueueTarget } from '@anneal/sweep';

/** What a sweep asks of a launcher; each kind reads the part it needs. */
export interface LauncherSpec {
  /** The sweep directory. */
  dir: string;
  name: string;
  /** Trials at once on this machine (local). */
  slots: number;
  /** Where the queue is and the sweep's key on it (queue). */
  queue?: QueueTarget & { sweepKey: string; window?: number };
  /** Ctrl-C of the sweep. */
  signal: AbortSignal;
  /** A visible note (the queue's Redis went away, came back). */
  notice(text: string): void;
}

export type LauncherKind = 'local' | 'queue';
export type LauncherFactories = Record<LauncherKind, (spec: LauncherSpec) => Promise<Launcher>>;

/**
 * The worker process. Installed, this module is a chunk of dist/ beside the built
 * sweep-worker.js, which Node runs as it is (no loader: ready within a second of the fork).
 * In the workspace it is this TypeScript source, so the worker's source goes through tsx.
 */
const fromSource = import.meta.url.endsWith('.ts');
export const workerScript = () =>
  fromSource
    ? fileURLToPath(new URL('../bin/run-ts.js', import.meta.url))
    : fileURLToPath(new URL('./sweep-worker.js', import.meta.url));
export const workerArgs = () => (fromSource ? [fileURLToPath(new URL('./sweep-worker.ts', import.meta.url))] : []);

/**
 * The launchers the composition root registers (tests register their own). Each imports
 * @anneal/sweep lazily, so light commands never load BullMQ.
 */
export const launcherFactories: LauncherFactories = {
  local: async (spec) => new (await import('@anneal/sweep')).ProcessLauncher(spec.slots, workerScript(), workerArgs()),
  queue: async (spec) => {
    if (!spec.queue)
      throw new AnnealError('USAGE', 'the queue launcher needs a queue URL', {
        hint: 'exp sweep … --queue redis://host:6379',
      });
    const { QueueLauncher } = await import('@anneal/sweep');
    return QueueLauncher.open({
      target: spec.queue,
      sweepKey: spec.queue.sweepKey,
      name: spec.name,
      signal: spec.signal,
      notice: spec.notice,
      // More than all workers' slots together; see docs/distributed.md on Redis memory.
      // --parallel, when given, bounds it further (one trial at a time: decisions in plan order).
      window:
        spec.queue.window ?? (process.env.ANNEAL_QUEUE_WINDOW ? Number(process.env.ANNEAL_QUEUE_WINDOW) : undefined),
    });
  },
};
