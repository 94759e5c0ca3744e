import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError, writeError, writeFileAtomic, type SweepPoint } from '@anneal/core';
import { isTrialId } from './trial-path.ts';

/**
 * One line of proposals.jsonl: what a TPE sweep decided to try, recorded before the trial
 * starts. With parallel trials a proposal depends on which trials had finished, so the record
 * (not a replay of the sampler) is what `--resume` continues from.
 */
export interface Proposal {
  /** 0, 1, 2 …: the proposal's place in the sequence; its random draws are seeded from it. */
  index: number;
  point: SweepPoint;
  /** How many finished trials (completed or pruned) the proposal was based on. */
  history: number;
  /** The trial it became, or the earlier trial with the same config (`duplicate`). */
  id?: string;
  /** The trial's seed (its config's `seed`). */
  seed?: number;
  /** The same config as trial `id`, proposed before: not run again. */
  duplicate?: boolean;
  /** Why the point cannot run (invalid, excluded): not run. */
  dropped?: string;
}

export const proposalsFile = (dir: string) => join(dir, 'proposals.jsonl');

/**
 * The recorded proposals. A line cut short by a kill (no newline yet) was never acted on (its
 * trial starts only after the line is written) and is left out; any other bad line is damage.
 */
export function readProposals(dir: string): Proposal[] {
  const file = proposalsFile(dir);
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.pop(); // '' after the last newline, or a cut line
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const bad = (what: string) =>
      new AnnealError('DIR_DAMAGED', `${file}:${i + 1}: ${what}`, {
        hint: 'this file was not written by `exp sweep`, or was edited; restore it or start the sweep again',
      });
    let p: Proposal;
    try {
      p = JSON.parse(line);
    } catch {
      throw bad('not a JSON row (the file is cut or damaged)');
    }
    if (typeof p !== 'object' || p === null || p.index !== i || typeof p.point !== 'object' || p.point === null)
      throw bad(`expected proposal ${i} with a point`);
    if (p.id !== undefined && !isTrialId(p.id)) throw bad(`${JSON.stringify(p.id)} is not a trial id`);
    if (p.id === undefined && p.dropped === undefined) throw bad('a proposal names its trial or why it was dropped');
    if (p.id !== undefined && !p.duplicate) {
      if (seen.has(p.id)) throw bad(`trial ${p.id} is proposed twice`);
      seen.add(p.id);
    }
    return p;
  });
}

/** Drop a cut last line (a kill while appending), so the next append starts a line of its own. */
export function repairProposals(dir: string): void {
  const file = proposalsFile(dir);
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  if (text === '' || text.endsWith('\n')) return;
  writeFileAtomic(file, text.slice(0, text.lastIndexOf('\n') + 1));
}

/** Append one proposal as one write of one line, flushed to disk before its trial starts. */
export function appendProposal(dir: string, proposal: Proposal): void {
  const file = proposalsFile(dir);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'a');
    writeSync(fd, `${JSON.stringify(proposal)}\n`);
    fsyncSync(fd);
  } catch (error) {
    throw writeError(file, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
