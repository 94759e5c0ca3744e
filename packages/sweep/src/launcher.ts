/** One trial for a launcher: run the config at `configFile` into the run directory `outDir`. */
export interface TrialJob {
  id: string;
  configFile: string;
  outDir: string;
  /** Continue from the run directory's last checkpoint (a trial handed over by another worker). */
  resume?: boolean;
  /** Report every epoch and ask whether to go on (a sweep with a pruner). */
  prune?: boolean;
}

/** One epoch of a running trial, as its metrics.jsonl row has it (`epoch` from 0). */
export type EpochReport = { epoch: number } & Record<string, number | null>;

/** What a sweep hears from a running trial: a pruner answers `true` to stop it. */
export interface TrialListener {
  onEpoch?(report: EpochReport): boolean | Promise<boolean>;
}

/** What came of a trial. `diverged` is a result; `failed` carries the message. */
export interface TrialOutcome {
  id: string;
  status: 'completed' | 'diverged' | 'interrupted' | 'failed' | 'pruned';
  message?: string;
  /** Where it ran, when not on this machine. */
  host?: string;
}

/**
 * Where trials run. The local launcher keeps worker processes on this machine; a queue
 * launcher (BullMQ) can hand the same jobs to `exp worker` processes on other hosts.
 */
export interface Launcher {
  /** How many trials may run at once. */
  readonly slots: number;
  run(job: TrialJob, listener?: TrialListener): Promise<TrialOutcome>;
  close(): Promise<void>;
  /** What is running where, for the progress line (a queue: trials per host, trials queued). */
  activity?(): string;
  /** Seconds left for `left` trials, when the launcher knows better than mean duration ÷ slots. */
  eta?(left: number): number | undefined;
  /**
   * Ask the running trials to stop after their batch and report `interrupted` (the sweep's
   * Ctrl-C). A queue launcher has none: its trials belong to the workers, which carry on.
   */
  interrupt?(): void;
}
