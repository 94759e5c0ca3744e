/** One trial for a launcher: run the config at `configFile` into the run directory `outDir`. */
export interface TrialJob {
  id: string;
  configFile: string;
  outDir: string;
}

/** What came of a trial. `diverged` is a result; `failed` carries the message. */
export interface TrialOutcome {
  id: string;
  status: 'completed' | 'diverged' | 'interrupted' | 'failed';
  message?: string;
}

/**
 * Where trials run. The local launcher keeps worker processes on this machine; a queue
 * launcher (BullMQ) can hand the same jobs to `exp worker` processes on other hosts.
 */
export interface Launcher {
  /** How many trials may run at once. */
  readonly slots: number;
  run(job: TrialJob): Promise<TrialOutcome>;
  close(): Promise<void>;
}
