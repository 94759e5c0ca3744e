import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { SweepConfig, SweepPoint } from '@anneal/core';

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
  if (!existsSync(file)) throw new Error(`${dir} is not a sweep directory (no sweep.json)`);
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

export const finished = (status: string | undefined) => status === 'completed' || status === 'diverged' || status === 'failed';

/** Whole file or nothing: sweep files are read while trials still run, and after a kill. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp-${process.pid}`, text);
  renameSync(`${file}.tmp-${process.pid}`, file);
}
