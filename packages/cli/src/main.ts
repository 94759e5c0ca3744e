import { runCli } from './cli.ts';
import { exitCodeOf, toExit } from './boundary.ts';

// `exp plugins | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const argv = process.argv;
// The one boundary: a command's outcome or error becomes the exit code here and nowhere else.
try {
  process.exitCode = exitCodeOf(await runCli(argv));
} catch (error) {
  process.exitCode = toExit(error, argv.includes('--debug'), (text) => process.stderr.write(`${text}\n`));
}
