import { AnnealError, errorCodes, expCommand, writeError } from '@anneal/core';

/**
 * What a command reports back instead of exiting: `failed` is a run that failed or diverged
 * (exit 1), `interrupted` one stopped by Ctrl-C (130, as shells report SIGINT). Config and
 * usage problems are thrown as AnnealError and reach `toExit`.
 */
export type Outcome = 'ok' | 'failed' | 'interrupted';

const outcomeExit: Record<Outcome, number> = { ok: 0, failed: 1, interrupted: 130 };

/** The exit code of a command that returned (a command returning nothing succeeded). */
export function exitCodeOf(outcome: Outcome | undefined): number {
  return outcomeExit[outcome ?? 'ok'];
}

/**
 * The single place where an error becomes text and an exit code (STYLE.md #5):
 * 2 for bad config or usage, 1 for a failure while running; a stack only with --debug.
 */
export function toExit(caught: unknown, debug: boolean, write: (text: string) => void): number {
  // A failed write anywhere (a full disk, a read-only directory) is told with its path.
  const error = writeError(undefined, caught);
  if (error instanceof AnnealError) {
    // Every code has a how-to-solve line; an error raised without its own hint shows that one.
    write(`error: ${error.format()}${error.hint ? '' : `\nhint: ${errorCodes[error.code].solve}`}`);
    if (debug) write(String(error.stack ?? ''));
    return error.exitCode;
  }
  const e = error as Error & { name?: string };
  if (e?.name === 'CACError') {
    write(`error: ${e.message}\nhint: see \`${expCommand('--help')}\` or \`${expCommand('<command> --help')}\``);
    return 2;
  }
  write(`error: ${e?.message ?? String(error)}${debug ? '' : '\n(run with --debug for the stack trace)'}`);
  if (debug) write(String(e?.stack ?? ''));
  return 1;
}

/**
 * Ctrl-C (or SIGTERM) once calls `onFirst`, so the command can finish its batch and write
 * everything; a second time the process leaves at once with 130. Returns the function that
 * removes the handlers. Exiting lives here, at the boundary, not in the commands.
 */
export function trapInterrupts(onFirst: () => void, signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): () => void {
  let seen = false;
  const handler = () => {
    if (seen) process.exit(exitCodeOf('interrupted'));
    seen = true;
    onFirst();
  };
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
