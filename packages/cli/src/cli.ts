import { cac } from 'cac';
import { AnnealError } from '@anneal/core';
import { createReporter } from './reporter.ts';


function positiveInt(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AnnealError('USAGE', `--${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * Commands and flags; each action lazily imports its module so that `exp --help`, `validate` and
 * `schedule` never load tfjs (STYLE.md #6). The root container is made once per process.
 */
export async function runCli(argv: string[]): Promise<void> {
  const cli = cac('exp');
  const root = async (quiet = false) => (await import('./root.ts')).createRoot({ reporter: createReporter({ quiet }) });

  cli.option('--debug', 'Show stack traces for errors');

  cli
    .command('schedule <config> [...overrides]', 'Show the learning-rate curve a config will produce')
    .option('--length <n>', 'Number of time points (default: the run length in the schedule unit)')
    .option('--json', 'Print {"unit": ..., "lr": [...]} and nothing else')
    .option('--plot <file>', 'Draw the curve to an .svg or .png file')
    .example('exp schedule configs/mnist-cosine-warmup.yaml schedule.warmup=5 --plot lr.svg')
    .action(async (config: string, overrides: string[], o) => {
      const { schedule } = await import('./commands/schedule.ts');
      await schedule(await root(), config, overrides, { length: positiveInt('length', o.length), json: o.json, plot: o.plot });
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
      process.exitCode = await run(await root(Boolean(o.quiet)), config, overrides, { out: o.out, resume: o.resume, quiet: o.quiet, json: o.json });
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

  cli.command('schema', 'Print the JSON Schema of experiment files (for editors)').action(async () => {
    const { schema } = await import('./commands/schema.ts');
    schema(await root());
  });

  cli.help();
  cli.version('0.1.0');
  cli.parse(argv, { run: false });
  if (!cli.matchedCommand) {
    if (cli.args.length > 0) throw new AnnealError('USAGE', `unknown command "${cli.args[0]}"`, { hint: 'run `exp --help` for the list of commands' });
    if (!cli.options.help && !cli.options.version) cli.outputHelp();
    return;
  }
  await cli.runMatchedCommand();
}

