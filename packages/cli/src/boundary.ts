import { AnnealError, writeError } from '@anneal/core';

/**
 * The single place where an error becomes text and an exit code (STYLE.md #5):
 * 2 for bad config or usage, 1 for a failure while running; a stack only with --debug.
 */
export function toExit(caught: unknown, debug: boolean, write: (text: string) => void): number {
  // A failed write anywhere (a full disk, a read-only directory) is told with its path.
  const error = writeError(undefined, caught);
  if (error instanceof AnnealError) {
    write(`error: ${error.format()}`);
    if (debug) write(String(error.stack ?? ''));
    return error.exitCode;
  }
  const e = error as Error & { name?: string };
  if (e?.name === 'CACError') {
    write(`error: ${e.message}\nhint: see \`exp --help\` or \`exp <command> --help\``);
    return 2;
  }
  write(`error: ${e?.message ?? String(error)}${debug ? '' : '\n(run with --debug for the stack trace)'}`);
  if (debug) write(String(e?.stack ?? ''));
  return 1;
}
