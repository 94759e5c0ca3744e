import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AnnealError, type SweepConfig, type SweepPoint } from '@anneal/core';

/** sweep.json: what the sweep is, written once before any trial runs; `--resume` and `exp report` read it. */
export interface SweepManifest {
  name: string;
  createdAt: string;
  sweep: SweepConfig;
  keys: string[];
  trials: Array<{ id: string; point: SweepPoint; repeat: number; seed: number }>;
  dropped: Array<{ point: SweepPoint; repeat: number; reason: string }>;
}

export const paths = {
  manifest: (dir: string) => join(dir, 'sweep.json'),
  config: (dir: string, id: string) => join(dir, 'configs', `${id}.yaml`),
  trial: (dir: string, id: string) => join(dir, 'trials', id),
  summary: (dir: string, id: string) => join(dir, 'trials', id, 'summary.json'),
};

export function readManifest(dir: string): SweepManifest {
  const file = paths.manifest(dir);
  if (!existsSync(file))
    throw new AnnealError('USAGE', `${dir} is not a sweep directory (no sweep.json)`, {
      hint: 'pass the directory that `exp sweep` printed',
    });
  return JSON.parse(readFileSync(file, 'utf8')) as SweepManifest;
}

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
 * finishing its batch): stop it before the trial directory is reused.
 */
export async function stopOrphan(dir: string, id: string): Promise<void> {
  let pid: number | undefined;
  try {
    pid = (JSON.parse(readFileSync(paths.summary(dir, id), 'utf8')) as { status?: string; pid?: number }).pid;
  } catch {
    return;
  }
  if (!pid || pid === process.pid) return;
  const alive = () => {
    try {
      process.kill(pid!, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
}

export const finished = (status: string | undefined) =>
  status === 'completed' || status === 'diverged' || status === 'failed';

/** Whole file or nothing: sweep files are read while trials still run, and after a kill. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, text);
  renameSync(`${file}.tmp-${process.pid}`, file);
}
