import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { AnnealError, checkRunDir, expCommand, runPlan } from '@anneal/core';
import { type Outcome, trapInterrupts } from '../boundary.ts';
import { loadValid, runScope } from '../load.ts';
import { ProgressHook } from '../progress.ts';

export interface RunCommandOptions {
  out?: string;
  resume?: string;
  quiet?: boolean;
  json?: boolean;
}

/** `exp run config.yaml [overrides]` or `exp run --resume DIR`: train and write the run directory. */
export async function run(
  container: DependencyContainer,
  file: string | undefined,
  overrides: string[],
  options: RunCommandOptions,
): Promise<Outcome> {
  if (!file && !options.resume)
    throw new AnnealError('USAGE', 'missing config file', {
      hint: `${expCommand('run <config.yaml> [key=value …]')}, or ${expCommand('run --resume <run dir>')}`,
    });
  if (file && options.resume)
    throw new AnnealError('USAGE', 'give a config file or --resume DIR, not both', {
      hint: 'a resumed run uses the config.yaml stored in its directory',
    });
  if (options.resume) checkRunDir(resolve(options.resume));
  const configFile = options.resume ? resolve(options.resume, 'config.yaml') : file!;
  const loaded = await loadValid(container, configFile, options.resume ? [] : overrides);
  const { config, registry, reporter, loggers, selectBackend } = runScope(container, loaded);
  const plan = runPlan(loaded);

  // Ctrl-C once: finish the batch, write everything, mark `interrupted`. Twice: leave now.
  const controller = new AbortController();
  const release = trapInterrupts(() => {
    reporter.info('\ninterrupting after this batch (Ctrl-C again to quit at once)…');
    controller.abort();
  });
  try {
    const { completedRun, runExperiment } = await import('@anneal/trainer');
    // Resuming a finished run changes nothing: say so, and leave every file as it is.
    const done = options.resume ? completedRun(resolve(options.resume)) : undefined;
    if (done) {
      if (options.json) reporter.out(JSON.stringify(done, null, 2));
      else
        reporter.info(
          `${done.dir} is already complete (${done.epochs}/${config.train.epochs} epochs${done.stoppedEarly ? ', stopped early' : ''}); nothing to resume`,
        );
      return 'ok';
    }
    const summary = await runExperiment(
      { config, plan, registry, file: configFile, overrides },
      {
        out: options.resume ?? options.out,
        resume: Boolean(options.resume),
        signal: controller.signal,
        loggers,
        selectBackend,
        hooks: [new ProgressHook(reporter, Boolean(options.quiet || options.json))],
        command: process.argv.slice(1),
      },
    );
    if (options.json) reporter.out(JSON.stringify(summary, null, 2));
    const final = summary.final;
    const line = final
      ? `final loss ${final.loss.toFixed(4)}, acc ${final.acc.toFixed(4)}${final.val_acc !== null ? `, val_acc ${final.val_acc.toFixed(4)}` : ''}`
      : 'no epoch finished';
    if (summary.status === 'completed') {
      if (!options.json)
        reporter.info(
          `${summary.stoppedEarly ? 'stopped early' : 'completed'}: ${line}, ${summary.samplesPerSecond.toFixed(0)} samples/s\nrun dir: ${summary.dir}\nTensorBoard: tensorboard --logdir ${resolve(config.output.dir)}`,
        );
      return 'ok';
    }
    if (summary.status === 'diverged') {
      reporter.warn(
        `run diverged: ${summary.message}\n  hint: lower optimizer.learningRate or lengthen schedule.warmup; the run directory ${summary.dir} keeps the metrics up to the divergence`,
      );
      return 'failed';
    }
    reporter.warn(
      `run interrupted (${summary.message}); continue it with: ${expCommand(`run --resume ${summary.dir}`)}`,
    );
    return 'interrupted';
  } finally {
    release();
  }
}
