import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AnnealError, ownerIsLive, readLock, writeFileAtomic } from '@anneal/core';
import { trialPath } from './trial-path.ts';

export { readManifest, type SweepManifest } from './manifest.ts';

export const paths = {
  manifest: (dir: string) => join(dir, 'sweep.json'),
  /** A TPE sweep's base config: every proposal is this config with the point set. */
  base: (dir: string) => join(dir, 'configs', 'base.yaml'),
  config: (dir: string, id: string) => trialPath(dir, 'configs', id, '.yaml'),
  trial: (dir: string, id: string) => trialPath(dir, 'trials', id),
  summary: (dir: string, id: string) => join(trialPath(dir, 'trials', id), 'summary.json'),
};

/** A trial's recorded status: finished ones are kept on resume; `running` or missing means rerun. */
export function trialStatus(dir: string, id: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(paths.summary(dir, id), 'utf8')) as { status?: string }).status;
  } catch {
    return undefined;
  }
}

/**
 * A trial left `running` by a killed sweep may still have its worker process alive (orphaned,
 * finishing its batch): stop it before the trial directory is reused. Only a process proven to
 * be that trial's worker is signalled: the trial directory's lock names host, pid and start
 * time, so a pid since reused by an unrelated process is left alone.
 */
export async function stopOrphan(dir: string, id: string): Promise<void> {
  const trialDir = paths.trial(dir, id);
  const owner = readLock(trialDir);
  if (!owner || owner.pid === process.pid || !ownerIsLive(owner)) return;
  if (owner.host !== hostname()) {
    throw new AnnealError('DIR_LOCKED', `trial ${id} is still being run by pid ${owner.pid} on ${owner.host}`, {
      hint: `stop it there, or wait until its heartbeat (${owner.heartbeat}) expires, then resume again`,
    });
  }
  const pid = owner.pid;
  const alive = () => ownerIsLive(owner);
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
}

export const finished = (status: string | undefined) =>
  status === 'completed' || status === 'diverged' || status === 'failed' || status === 'pruned';

/** Whole file or nothing: sweep files are read while trials still run, and after a kill. */
export function writeAtomic(file: string, text: string): void {
  writeFileAtomic(file, text);
}
