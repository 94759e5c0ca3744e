import { isAbsolute, join, relative } from 'node:path';
import { AnnealError } from '@anneal/core';

/** Trial ids are `trialId()` hashes (core/sweep/trial-id.ts): nothing else names a trial directory. */
const TRIAL_ID = /^t-[0-9a-f]{10}$/;

export const isTrialId = (id: unknown): id is string => typeof id === 'string' && TRIAL_ID.test(id);

/**
 * `dir/<sub>/<id><suffix>`, refused unless `id` is a trial id and the path stays inside `dir`:
 * ids come back from files on disk, and a crafted one must not reach outside the sweep.
 */
export function trialPath(dir: string, sub: string, id: string, suffix = ''): string {
  const path = join(dir, sub, `${id}${suffix}`);
  const rel = relative(dir, path);
  if (!isTrialId(id) || rel.startsWith('..') || isAbsolute(rel))
    throw new AnnealError('DIR_DAMAGED', `${JSON.stringify(id)} is not a trial id of the sweep in ${dir}`, {
      hint: 'sweep.json names its trials t- and 10 hex digits; restore it or start the sweep again',
    });
  return path;
}
