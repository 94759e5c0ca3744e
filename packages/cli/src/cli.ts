import { cac } from 'cac';
import { AnnealError, expCommand } from '@anneal/core';
import type { Outcome } from './boundary.ts';
import { createReporter } from './reporter.ts';

function positiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new AnnealError('USAGE', `--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

function nonNegativeInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new AnnealError('USAGE', `--${name} must be a whole number ≥ 0 (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * cac 7 gives its parser (mri) the camel-cased names of boolean flags, so a hyphenated one
 * (`--dry-run`) is not known as boolean and swallows the next argument. Spelled camel-case,
 * mri recognises it.
 */
const hyphenatedBooleans = new Set(['--dry-run', '--fail-fast']);
const camelBooleanFlag = (arg: string) =>
  hyphenatedBooleans.has(arg) ? `--${arg.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}` : arg;

/**
 * Commands and flags; each action lazily imports its module so that `exp --help`, `validate` and
 * `schedule` never load tfjs (STYLE.md #6). The root container is made once per process.
 */
export async function runCli(argv: string[]): Promise<Outcome | undefined> {
  const cli = cac('exp');
  const root = async (quiet = false) => (await import('./root.ts')).createRoot({ reporter: createReporter({ quiet }) });

  cli.option('--debug', 'Show stack traces for errors');

  cli
    .command('schedule <config> [...overrides]', 'Show the learning-rate curve a config will produce')
    .option('--length <n>', 'Number of time points (default: the run length in the schedule unit)')
    .option('--json', 'Print {"unit": ..., "lr": [...]} and nothing else')
    .option('--plot <file>', 'Draw the curve to an .svg or .png file')
    .option('--sweep', "Every trial's curve of the config's sweep (and key=a,b,c arguments) on one chart")
    .example('exp schedule configs/mnist-cosine-warmup.yaml schedule.warmup=5 --plot lr.svg')
    .example('exp schedule configs/mnist-cosine-warmup.yaml --sweep schedule.warmup=0,1ep,2ep --plot lrs.svg')
    .action(async (config: string, overrides: string[], o) => {
      const { schedule, sweepSchedules } = await import('./commands/schedule.ts');
      const options = { length: positiveInt('length', o.length), json: o.json, plot: o.plot };
      await (o.sweep ? sweepSchedules : schedule)(await root(), config, overrides, options);
    });

  cli
    .command('run [config] [...overrides]', 'Train an experiment and write its run directory')
    .option('--out <dir>', 'Put the run directory exactly here')
    .option('--resume <dir>', 'Continue an interrupted run from its last checkpoint')
    .option('--quiet', 'Print nothing but errors')
    .option('--json', 'Print the final summary as JSON on stdout')
    .example('exp run configs/mnist-cosine-warmup.yaml optimizer.learningRate=3e-4')
    .action(async (config: string | undefined, overrides: string[], o) => {
      const { run } = await import('./commands/run.ts');
      return run(await root(Boolean(o.quiet)), config, overrides, {
        out: o.out,
        resume: o.resume,
        quiet: o.quiet,
        json: o.json,
      });
    });

  cli
    .command(
      'lr-find <config> [...overrides]',
      "Leslie Smith's LR range test: train with a growing rate and suggest a base rate",
    )
    .option('--min <lr>', 'First rate tried (default: 1e-7)')
    .option('--max <lr>', 'Last rate tried (default: 10)')
    .option('--steps <n>', 'Batches in the test, one rate each (default: 200)')
    .option('--plot <file>', 'Draw loss against rate to an .svg or .png file')
    .option(
      '--apply [file]',
      'Write the config with the suggested optimizer.learningRate (default: <name>.lr-found.yaml beside it)',
    )
    .option('--json', 'Print the result (lr, loss, smoothed, suggestion, …) as JSON on stdout')
    .example('exp lr-find configs/mnist-cosine-warmup.yaml --plot lr-find.svg --apply')
    .action(async (config: string, overrides: string[], o) => {
      const { lrFind } = await import('./commands/lr-find.ts');
      return lrFind(await root(), config, overrides, {
        min: o.min,
        max: o.max,
        steps: o.steps,
        plot: o.plot,
        apply: o.apply,
        json: o.json,
      });
    });

  cli
    .command('sweep [config] [...args]', 'Run a grid or random search over any keys, in parallel, and rank the trials')
    .option('--out <dir>', 'Put the sweep directory exactly here')
    .option('--resume <dir>', 'Continue a sweep: finished trials are kept, unfinished ones rerun')
    .option(
      '--parallel <n>',
      'Trials at once, each in its own worker process (default: sweep.parallel or the number of cores); on a queue, trials in flight (default 1000)',
    )
    .option('--dry-run', 'Print the trials (and the points dropped, with the reason) without running them')
    .option(
      '--max-failures <n>',
      'Accept up to n failed trials: stop starting trials once more than n have failed; exit 0 if no more than n failed (default: run every trial, exit 1 if any failed)',
    )
    .option('--retries <n>', 'Run a failed trial again up to n times', { default: 0 })
    .option('--fail-fast', 'Stop starting trials at the first failure (exit 1)')
    .option('--no-plots', 'Skip the sweep plots')
    .option(
      '--queue <url>',
      'Put the trials on a Redis queue for `exp worker` hosts (default: ANNEAL_QUEUE, sweep.queue)',
    )
    .option('--prefix <name>', 'Key prefix on the queue, one per project (default: ANNEAL_QUEUE_PREFIX or anneal)')
    .example('exp sweep configs/mnist-cosine-warmup.yaml schedule.warmup=0,1ep,2ep schedule.epsilon=0,1e-5,1e-4')
    .action(async (config: string | undefined, args: string[], o) => {
      const { sweep } = await import('./commands/sweep.ts');
      return sweep(await root(), config, args, {
        out: o.out,
        resume: o.resume,
        dryRun: o.dryRun,
        failFast: o.failFast,
        plots: o.plots,
        parallel: positiveInt('parallel', o.parallel),
        maxFailures: nonNegativeInt('max-failures', o.maxFailures),
        retries: nonNegativeInt('retries', o.retries),
        queue: o.queue,
        prefix: o.prefix,
      });
    });

  cli
    .command('worker [url]', 'Run the trials of distributed sweeps from a Redis queue (docs/distributed.md)')
    .option('--concurrency <n>', 'Trials at once, each in its own worker process (default: 1)')
    .option('--out <dir>', 'Where run directories go (default: runs/worker); share it to continue from checkpoints')
    .option(
      '--prefix <name>',
      'Key prefix on the queue, the same as the sweep (default: ANNEAL_QUEUE_PREFIX or anneal)',
    )
    .example('exp worker redis://queue-host:6379 --concurrency 2')
    .action(async (url: string | undefined, o) => {
      const { worker } = await import('./commands/worker.ts');
      return worker(await root(), url, {
        concurrency: positiveInt('concurrency', o.concurrency),
        out: o.out,
        prefix: o.prefix,
      });
    });

  cli
    .command(
      'report <dir> [...more]',
      'Rank the trials of a finished or partial sweep (and rebuild its results files); --html: a page for a run, sweep or comparison',
    )
    .option('--html [file]', 'Write one self-contained HTML page (default: DIR/report.html, compare.html for several)')
    .option('--metric <name>', 'With several directories: the metric to compare')
    .action(async (dir: string, more: string[], o) => {
      if (o.html !== undefined) {
        const { reportHtml } = await import('./commands/report-html.ts');
        await reportHtml(await root(), [dir, ...more], typeof o.html === 'string' ? o.html : undefined, {
          metric: o.metric,
        });
        return;
      }
      if (more.length > 0)
        throw new AnnealError('USAGE', 'exp report takes one sweep directory (several only with --html)', {
          hint: 'exp compare DIR DIR… for a table, or exp report DIR DIR… --html for a page',
        });
      const { report } = await import('./commands/report.ts');
      await report(await root(), dir);
    });

  cli
    .command('compare [...dirs]', 'Compare runs: config differences, best/final metrics, time; overlaid curves')
    .option('--metric <name>', 'The metric to rank and draw (default: val_acc, else val_loss, acc, loss)')
    .option('--plot <file>', 'Draw the overlaid learning-rate and metric curves to an .svg or .png file')
    .option('--html <file>', 'Write the comparison as one self-contained HTML page')
    .example("exp compare 'runs/mnist-*/*' --metric val_acc --plot compare.png --html compare.html")
    .action(async (dirs: string[], o) => {
      const { compare } = await import('./commands/compare.ts');
      await compare(await root(), dirs, { metric: o.metric, plot: o.plot, html: o.html });
    });

  cli
    .command('validate <config> [...overrides]', 'Check a config: `ok` and a summary, or every error')
    .action(async (config: string, overrides: string[]) => {
      const { validate } = await import('./commands/validate.ts');
      await validate(await root(), config, overrides);
    });

  cli
    .command('plugins [kind]', 'List plugins (schedule, dataset, model) with their options')
    .option('--config <file>', "Also list the plugins that this config's `plugins:` loads")
    .action(async (kind: string | undefined, o) => {
      const { plugins } = await import('./commands/plugins.ts');
      await plugins(await root(), kind, { config: o.config });
    });

  cli
    .command('schema', 'Print the JSON Schema of experiment files (for editors)')
    .option('--config <file>', "Include the plugins that this config's `plugins:` loads")
    .action(async (o) => {
      const { schema } = await import('./commands/schema.ts');
      await schema(await root(), { config: o.config });
    });

  cli.help();
  cli.version('0.1.0');
  cli.parse(argv.map(camelBooleanFlag), { run: false });
  if (!cli.matchedCommand) {
    if (cli.args.length > 0)
      throw new AnnealError('USAGE', `unknown command "${cli.args[0]}"`, {
        hint: `run \`${expCommand('--help')}\` for the list of commands`,
      });
    if (!cli.options.help && !cli.options.version) cli.outputHelp();
    return undefined;
  }
  // Commands return their outcome; main.ts (the boundary) turns it into the exit code.
  return (await cli.runMatchedCommand()) as Outcome | undefined;
}
