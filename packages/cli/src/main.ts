// tsyringe needs the Reflect polyfill before it is first imported.
import 'reflect-metadata';
import { runCli } from './cli.ts';
import { toExit } from './boundary.ts';

const argv = process.argv;
try {
  await runCli(argv);
} catch (error) {
  process.exitCode = toExit(error, argv.includes('--debug'), (text) => process.stderr.write(`${text}\n`));
}
