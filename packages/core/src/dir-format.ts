import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError } from './errors.ts';

/**
 * The layout version of the files anneal writes (summary.json and sweep.json carry it as
 * `formatVersion`). Raise it when a file changes meaning, and teach `checkFormat` to migrate
 * or refuse the old one, so that no directory is ever misread.
 */
export const RUN_FORMAT = 1;
export const SWEEP_FORMAT = 1;

/**
 * Is `found` (the `formatVersion` read from `file`) one we can read? Absent means a directory
 * written before versions were recorded; its layout is version 1's, so it reads as 1.
 */
export function checkFormat(file: string, found: unknown, current: number): number {
  if (found === undefined) return 1;
  if (!Number.isInteger(found) || (found as number) < 1)
    throw new AnnealError('DIR_DAMAGED', `${file}: formatVersion ${JSON.stringify(found)} is not a version number`);
  if ((found as number) > current)
    throw new AnnealError(
      'DIR_VERSION',
      `${file} was written by a newer anneal (format ${found}; this one reads up to ${current})`,
      { hint: 'open it with the anneal that wrote it, or upgrade anneal' },
    );
  return found as number;
}

/**
 * Before `exp run --resume DIR` touches anything: its summary.json must be readable and of a
 * format this anneal knows (a run killed before its first write has none, which is fine).
 */
export function checkRunDir(dir: string): void {
  const file = join(dir, 'summary.json');
  if (!existsSync(file)) return;
  let summary: unknown;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AnnealError('DIR_DAMAGED', `${file} is damaged: ${(error as Error).message}`, {
      hint: 'restore it, or delete it to resume from the last checkpoint',
    });
  }
  checkFormat(file, (summary as { formatVersion?: unknown } | null)?.formatVersion, RUN_FORMAT);
}
