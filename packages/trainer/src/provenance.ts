import { execFile } from 'node:child_process';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';

/** What summary.json records to reproduce a run (as W&B and MLflow record a run's source). */
export interface Provenance {
  /** The command line as it was typed (argv after the node executable). */
  command?: string[];
  configFile: string;
  overrides: string[];
  host: string;
  /** Present when the config file lives in a git work tree (and git is installed). */
  git?: { commit: string; dirty: boolean };
}

const GIT_TIMEOUT_MS = 5000;

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', args, { cwd, timeout: GIT_TIMEOUT_MS, windowsHide: true }, (error, stdout) =>
      done(error ? undefined : stdout.trim()),
    );
  });
}

/**
 * The commit of the config file's repository and whether tracked files differ from it
 * (untracked files do not count, as MLflow's `is_dirty(untracked_files=False)`). No git, no
 * repository or a timeout: undefined, and the field is left out.
 */
export async function gitState(configFile: string): Promise<Provenance['git']> {
  const cwd = dirname(resolve(configFile));
  const commit = await git(cwd, ['rev-parse', '--verify', 'HEAD']);
  if (!commit) return undefined;
  const status = await git(cwd, ['status', '--porcelain', '--untracked-files=no']);
  if (status === undefined) return undefined;
  return { commit, dirty: status.length > 0 };
}

export async function provenance(input: {
  command?: string[];
  file: string;
  overrides: string[];
}): Promise<Provenance> {
  const state = await gitState(input.file);
  return {
    ...(input.command ? { command: input.command } : {}),
    configFile: resolve(input.file),
    overrides: input.overrides,
    host: hostname(),
    ...(state ? { git: state } : {}),
  };
}
