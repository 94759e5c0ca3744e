import { fork, type ChildProcess } from 'node:child_process';
import type { EpochReport, Launcher, TrialJob, TrialListener, TrialOutcome } from './launcher.ts';

interface Worker {
  child: ChildProcess;
  busy?: { job: TrialJob; listener?: TrialListener; resolve(outcome: TrialOutcome): void };
}

/**
 * Runs trials in long-lived worker processes (one tfjs backend each), so a trial pays for
 * loading tfjs and the data once per worker, not once per trial. A worker that dies takes only
 * its current trial with it (reported as failed); the next trial gets a fresh worker.
 */
export class ProcessLauncher implements Launcher {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  constructor(
    readonly slots: number,
    private readonly workerScript: string,
    private readonly args: string[] = [],
  ) {}

  run(job: TrialJob, listener?: TrialListener): Promise<TrialOutcome> {
    const worker = this.idle.pop() ?? this.spawn();
    return new Promise((resolve) => {
      worker.busy = { job, listener, resolve };
      worker.child.send(job);
    });
  }

  private spawn(): Worker {
    const child = fork(this.workerScript, this.args, { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    const worker: Worker = { child };
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
    child.on('message', async (message: TrialOutcome | { type: 'epoch'; id: string; report: EpochReport }) => {
      // A trial with a pruner reports each epoch and waits for the answer (stop: true/false).
      if ('type' in message && message.type === 'epoch') {
        const stop = Boolean(await worker.busy?.listener?.onEpoch?.(message.report));
        child.send({ type: 'decision', id: message.id, stop });
        return;
      }
      const outcome = message as TrialOutcome;
      const busy = worker.busy;
      worker.busy = undefined;
      this.idle.push(worker);
      busy?.resolve(outcome);
    });
    child.on('exit', (code, signal) => {
      this.all.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      worker.busy?.resolve({
        id: worker.busy.job.id,
        status: 'failed',
        message: `worker process exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`,
      });
      worker.busy = undefined;
    });
    this.all.add(worker);
    return worker;
  }

  /**
   * Start every slot's worker process now, so the first trials do not wait for a process and tfjs
   * to load (`exp worker`, which may wait a long time for its first trial, is ready when it comes).
   */
  warm(): void {
    while (this.all.size < this.slots) this.idle.push(this.spawn());
  }

  /** Ask every running trial to stop after its batch; each reports `interrupted` (`exp worker` on SIGTERM). */
  interrupt(): void {
    for (const w of this.all) if (w.busy) w.child.kill('SIGTERM');
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.all].map(
        (w) =>
          new Promise<void>((resolve) => {
            w.child.once('exit', () => resolve());
            w.child.disconnect?.();
            setTimeout(() => w.child.kill(), 2000).unref();
          }),
      ),
    );
  }
}
