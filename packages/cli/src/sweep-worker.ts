// A local sweep worker: a long-lived process that runs the trials its parent sends over IPC,
// one at a time, so tfjs and the data are loaded once per worker rather than once per trial.
import 'reflect-metadata';
import { AnnealError, runPlan } from '@anneal/core';
import type { EpochReport, TrialJob, TrialOutcome } from '@anneal/sweep';
import { loadValid, runScope } from './load.ts';
import { createReporter } from './reporter.ts';
import { createRoot } from './root.ts';

const root = createRoot({ reporter: createReporter({ quiet: true }) });
const controller = new AbortController();
// Ctrl-C reaches the whole process group: finish the batch, record `interrupted`, report back.
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
process.on('disconnect', () => process.exit(0));

// tfjs loads while the process waits for its first trial (a warmed `exp worker` slot waits long).
const trainer = import('@anneal/trainer');
trainer.catch(() => undefined); // a failure is reported with the first trial, not as an unhandled rejection

// Trials of one sweep nearly always share the data section: decode it once per worker.
let datasets: import('@anneal/trainer').DatasetCache | undefined;

const reply = (outcome: TrialOutcome) => process.send?.(outcome);

// With a pruner, each epoch is reported to the sweep, which answers whether to stop the trial.
let decide: ((stop: boolean) => void) | undefined;
const askParent = (id: string, report: EpochReport) =>
  new Promise<boolean>((resolve) => {
    decide = resolve;
    process.send?.({ type: 'epoch', id, report });
  });

process.on('message', async (job: TrialJob | { type: 'decision'; stop: boolean }) => {
  if ('type' in job) {
    decide?.(job.stop);
    decide = undefined;
    return;
  }
  try {
    const loaded = await loadValid(root, job.configFile, []);
    const { config, registry, loggers, selectBackend } = runScope(root, loaded);
    const { runExperiment, DatasetCache } = await trainer;
    datasets ??= new DatasetCache();
    const summary = await runExperiment(
      { config, plan: runPlan(loaded), registry, file: job.configFile, overrides: [] },
      {
        out: job.outDir,
        signal: controller.signal,
        datasets,
        resume: job.resume,
        loggers,
        selectBackend,
        prune: job.prune ? (row) => askParent(job.id, row as unknown as EpochReport) : undefined,
      },
    );
    reply({ id: job.id, status: summary.status, message: summary.message });
  } catch (error) {
    // An AnnealError's issues name the missing plugin or file; its bare message would not.
    const message = error instanceof AnnealError ? error.format() : ((error as Error)?.message ?? String(error));
    reply({ id: job.id, status: 'failed', message });
  }
});
