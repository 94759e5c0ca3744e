import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError, checkFormat, SWEEP_FORMAT, type SweepConfig, type SweepPoint } from '@anneal/core';
import { readProposals } from './proposals.ts';
import { isTrialId } from './trial-path.ts';

/** sweep.json: what the sweep is, written once before any trial runs; `--resume` and `exp report` read it. */
export interface SweepManifest {
  formatVersion: number;
  name: string;
  createdAt: string;
  sweep: SweepConfig;
  keys: string[];
  trials: Array<{ id: string; point: SweepPoint; repeat: number; seed: number }>;
  dropped: Array<{ point: SweepPoint; repeat: number; reason: string }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Read and check sweep.json. It is input like any other: a truncated file, a newer format or a
 * trial id that is not one of ours (`../../victim`) is refused with the file named, before any
 * path is built from it.
 */
export function parseManifest(file: string, text: string): SweepManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AnnealError('DIR_DAMAGED', `${file} is damaged: ${(error as Error).message}`, {
      hint: 'the sweep plan cannot be read; restore the file or start the sweep again',
    });
  }
  const bad = (what: string) =>
    new AnnealError('DIR_DAMAGED', `${file}: ${what}`, {
      hint: 'this file was not written by `exp sweep`, or was edited',
    });
  if (!isObject(raw)) throw bad('not a sweep plan (expected an object)');
  checkFormat(file, raw.formatVersion, SWEEP_FORMAT);
  const sweep = raw.sweep;
  if (typeof raw.name !== 'string') throw bad('`name` must be a string');
  if (!isObject(sweep) || typeof sweep.metric !== 'string' || (sweep.goal !== 'max' && sweep.goal !== 'min'))
    throw bad('`sweep` must hold `metric` and `goal` (max or min)');
  if (!Array.isArray(raw.keys) || !raw.keys.every((k) => typeof k === 'string'))
    throw bad('`keys` must be a list of strings');
  if (!Array.isArray(raw.trials)) throw bad('`trials` must be a list');
  const seen = new Set<string>();
  raw.trials.forEach((t, i) => {
    if (!isObject(t) || !isObject(t.point)) throw bad(`trials[${i}] must be an object with a \`point\``);
    if (!isTrialId(t.id)) throw bad(`trials[${i}].id ${JSON.stringify(t.id)} is not a trial id (t- and 10 hex digits)`);
    if (seen.has(t.id)) throw bad(`trials[${i}].id ${t.id} appears twice`);
    seen.add(t.id);
  });
  return { dropped: [], ...raw, formatVersion: SWEEP_FORMAT } as unknown as SweepManifest;
}

/**
 * The sweep as it stands: sweep.json, and for a TPE sweep the trials and dropped points its
 * proposals.jsonl has recorded so far (in proposal order), so results, reports and `--resume`
 * read a TPE sweep as they read any other.
 */
export function readManifest(dir: string): SweepManifest {
  const file = join(dir, 'sweep.json');
  if (!existsSync(file))
    throw new AnnealError('USAGE', `${dir} is not a sweep directory (no sweep.json)`, {
      hint: 'pass the directory that `exp sweep` printed',
    });
  const manifest = parseManifest(file, readFileSync(file, 'utf8'));
  if (manifest.sweep.method !== 'tpe') return manifest;
  for (const p of readProposals(dir)) {
    if (p.dropped !== undefined) manifest.dropped.push({ point: p.point, repeat: 0, reason: p.dropped });
    else if (!p.duplicate) manifest.trials.push({ id: p.id!, point: p.point, repeat: 0, seed: p.seed ?? 0 });
  }
  return manifest;
}
