/**
 * One error class for everything a user can cause. Libraries throw it; only the CLI boundary
 * turns it into a message and an exit code (STYLE.md #5). The catalogue below is mirrored in
 * docs/errors.md, and a test keeps the two in step (as fastify does).
 */
export const errorCodes = {
  CONFIG_NOT_FOUND: { exit: 2, solve: 'Check the path; configs are resolved relative to the current directory.' },
  CONFIG_YAML: { exit: 2, solve: 'Fix the YAML syntax at the position shown (indentation, a missing colon or quote).' },
  CONFIG_INVALID: { exit: 2, solve: 'Fix each listed key; `exp plugins` and `exp schema` show what is allowed.' },
  CONFIG_EXTENDS: {
    exit: 2,
    solve: 'Point `extends:` at an existing YAML file, relative to the file that names it, without cycles.',
  },
  OVERRIDE_SYNTAX: {
    exit: 2,
    solve: 'Write overrides as `key.path=value` (YAML value) or `~key.path` to remove a key.',
  },
  OVERRIDE_PATH: {
    exit: 2,
    solve:
      'Name a key that exists (`~` removes only existing keys) and a list index within the list; see the did-you-mean.',
  },
  CONFIG_LIMIT: {
    exit: 2,
    solve: 'Stay within the limits in docs/config.md#limits (file size, keys, list length, aliases, sweep size).',
  },
  PLUGIN_LOAD: { exit: 2, solve: 'Check the path in `plugins:` (relative to the config file) or install the package.' },
  PLUGIN_SHAPE: {
    exit: 2,
    solve: 'Export `definePlugin({ kind, name, description, schema, create })` as the default export.',
  },
  PLUGIN_DUPLICATE: {
    exit: 2,
    solve: 'Give the plugin a name that is not taken; `exp plugins` lists the names in use.',
  },
  PLUGIN_UNKNOWN: { exit: 2, solve: 'Use one of the listed names, or add the plugin file to `plugins:`.' },
  PLUGIN_CREATE: { exit: 2, solve: 'The plugin rejected its options; fix them or the plugin.' },
  USAGE: { exit: 2, solve: 'See `exp <command> --help`.' },
  RUN_FAILED: { exit: 1, solve: 'See the message; the run directory records what was written before the failure.' },
  BACKEND_UNAVAILABLE: {
    exit: 1,
    solve: 'Install the backend named in the message (@tensorflow/tfjs-node), or set `train.backend: wasm` or `cpu`.',
  },
  FILE_UNREADABLE: {
    exit: 1,
    solve:
      'A file anneal reads (a model, its weights, TensorBoard events) is missing or damaged; restore or re-create the file named.',
  },
  DATA: { exit: 1, solve: 'Check the data file or dataset options named in the message.' },
  SWEEP_FAILED: { exit: 1, solve: 'See results.csv in the sweep directory for the failing trials.' },
  DIR_LOCKED: {
    exit: 2,
    solve:
      'Another `exp` process owns this directory (host, pid shown): wait for it, stop it, or use another directory. A lock of a dead process is taken over by itself.',
  },
  DIR_DAMAGED: {
    exit: 2,
    solve:
      'A file of the run or sweep directory (named) is damaged or not written by anneal: restore it, or start anew.',
  },
  DIR_VERSION: {
    exit: 2,
    solve:
      'The directory was written by another anneal version: open it with that version, or start a new run or sweep.',
  },
  WRITE_FAILED: {
    exit: 1,
    solve: 'Free disk space or make the directory named writable, then continue with `--resume`.',
  },
  QUEUE: {
    exit: 2,
    solve: 'Check the redis:// URL, that Redis runs there, and the password; see docs/distributed.md.',
  },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Where a value was written: a file position, or the command-line override that set it. */
export interface Location {
  file: string;
  line?: number;
  col?: number;
  /** Set when the value came from a `key=value` override rather than a file. */
  override?: string;
}

/** One problem in a config: what, where, how to fix. */
export interface Issue {
  /** Dotted key path, e.g. `schedule.warmup`. */
  path: string;
  message: string;
  hint?: string;
  location?: Location;
}

export function formatLocation(loc: Location | undefined): string {
  if (!loc) return '';
  if (loc.override !== undefined) return `command line (${loc.override})`;
  return loc.line ? `${loc.file}:${loc.line}:${loc.col ?? 1}` : loc.file;
}

export function formatIssue(issue: Issue): string {
  const where = formatLocation(issue.location);
  const head = `${where ? `${where}: ` : ''}${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
  return issue.hint ? `${head}\n    hint: ${issue.hint}` : head;
}

export class AnnealError extends Error {
  readonly code: ErrorCode;
  readonly issues: Issue[];
  readonly hint?: string;

  constructor(code: ErrorCode, message: string, options: { issues?: Issue[]; hint?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AnnealError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.hint = options.hint;
  }

  get exitCode(): number {
    return errorCodes[this.code].exit;
  }

  /** The text a user sees: the message, every issue, and the hint (no stack). */
  format(): string {
    const lines = [this.message, ...this.issues.map((i) => `  ${formatIssue(i).replace(/\n/g, '\n  ')}`)];
    if (this.hint) lines.push(`hint: ${this.hint}`);
    return lines.join('\n');
  }
}

export function isAnnealError(error: unknown): error is AnnealError {
  return error instanceof AnnealError;
}
