import { resolve } from 'node:path';
import type { DependencyContainer } from 'tsyringe';
import { AnnealError, checkRunDir } from '@anneal/core';
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
): Promise<number> {
  if (!file && !options.resume)
    throw new AnnealError('USAGE', 'missing config file', {
      hint: 'exp run <config.yaml> [key=value …], or exp run --resume <run dir>',
    });
  if (file && options.resume)
    throw new AnnealError('USAGE', 'give a config file or --resume DIR, not both', {
      hint: 'a resumed run uses the config.yaml stored in its directory',
    });
  if (options.resume) checkRunDir(resolve(options.resume));
  const configFile = options.resume ? resolve(options.resume, 'config.yaml') : file!;
  const { config, registry, reporter } = runScope(
    container,
    await loadValid(container, configFile, options.resume ? [] : overrides),
  );

  // Ctrl-C once: finish the batch, write everything, mark `interrupted`. Twice: leave now.
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    reporter.info('\ninterrupting after this batch (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  try {
    const { runExperiment } = await import('@anneal/trainer');
    const summary = await runExperiment(
      { config, registry, file: configFile, overrides },
      {
        out: options.resume ?? options.out,
        resume: Boolean(options.resume),
        signal: controller.signal,
        hooks: [new ProgressHook(reporter, Boolean(options.quiet || options.json))],
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
      return 0;
    }
    if (summary.status === 'diverged') {
      reporter.warn(
        `run diverged: ${summary.message}\n  hint: lower optimizer.learningRate or lengthen schedule.warmup; the run directory ${summary.dir} keeps the metrics up to the divergence`,
      );
      return 1;
    }
    reporter.warn(`run interrupted (${summary.message}); continue it with: exp run --resume ${summary.dir}`);
    return 130;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
