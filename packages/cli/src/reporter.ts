import pc from 'picocolors';
import { formatIssue, type Issue } from '@anneal/core';

/** The only thing that writes to the terminal: results to stdout, everything else to stderr. */
export interface Reporter {
  readonly tty: boolean;
  /** Results a script may parse (JSON, tables): stdout. */
  out(text: string): void;
  /** Progress and notes for a person: stderr, silenced by --quiet. */
  info(text: string): void;
  warn(issue: Issue | string): void;
}

export function createReporter(
  options: { quiet?: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {},
): Reporter {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const tty = Boolean(stderr.isTTY) && !process.env.CI;
  return {
    tty,
    out: (text) => void stdout.write(`${text}\n`),
    info: (text) => void (options.quiet || stderr.write(`${text}\n`)),
    warn: (issue) => {
      const text = typeof issue === 'string' ? issue : formatIssue(issue);
      stderr.write(`${tty ? pc.yellow('warning') : 'warning'}: ${text}\n`);
    },
  };
}
