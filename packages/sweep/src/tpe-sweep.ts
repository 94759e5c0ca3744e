import { createHash } from 'node:crypto';
import { AnnealError, seededRandom, type SweepPlan } from '@anneal/core';
import { stringify } from 'yaml';
import { appendProposal, readProposals, repairProposals, type Proposal } from './proposals.ts';
import type { TrialRow } from './results.ts';
import { paths, writeAtomic, type SweepManifest } from './sweep-dir.ts';
import { proposeTpe, type TpeObservation } from './tpe.ts';

/**
 * Proposal `index`'s own generator: seeded from the sweep's seed and the index alone, so a
 * resumed sweep needs no saved generator state and a proposal's draws never depend on how
 * many numbers earlier proposals used.
 */
export function proposalRandom(seed: number, index: number): () => number {
  return seededRandom(createHash('sha256').update(`${seed}:${index}`).digest().readUInt32LE(0));
}

/**
 * What TPE learns from a finished trial, as Optuna's study holds it: a completed trial by the
 * value that ranks it (its best epoch's metric), a pruned one by its last value and the epochs
 * it reached. Failed and diverged trials are left out, as Optuna leaves out FAIL trials.
 */
export function observation(row: TrialRow, goal: 'max' | 'min'): TpeObservation | undefined {
  if (row.status === 'completed' && row.best !== null)
    return { point: row.point, value: row.best, state: 'completed', epochs: row.epochs };
  if (row.status === 'pruned') {
    // Optuna ranks a pruned trial without a reported value below every other pruned trial.
    const worst = goal === 'max' ? -Infinity : Infinity;
    return row.final === null
      ? { point: row.point, value: worst, state: 'pruned', epochs: 0 }
      : { point: row.point, value: row.final, state: 'pruned', epochs: row.epochs };
  }
  return undefined;
}

export type TpeTrial = SweepManifest['trials'][number];

/**
 * The TPE side of a sweep: turns the finished trials into the next proposal, records it in
 * proposals.jsonl (and its trial's config) before the trial starts, and stops at the budget
 * (`sweep.trials` proposals, dropped and duplicate ones included, as Optuna's n_trials counts
 * failed trials).
 */
export function openTpe(dir: string, manifest: SweepManifest, plan: Pick<SweepPlan, 'trialAt'> | undefined) {
  repairProposals(dir);
  let made = readProposals(dir).length;
  const budget = manifest.sweep.trials;
  const seed = manifest.sweep.seed ?? 0;
  if (!Number.isInteger(budget) || budget < 0 || !Number.isInteger(seed))
    throw new AnnealError(
      'DIR_DAMAGED',
      `${paths.manifest(dir)}: a tpe sweep needs whole numbers \`sweep.trials\` and \`sweep.seed\``,
      {
        hint: 'this file was not written by `exp sweep`, or was edited',
      },
    );
  const known = new Set(manifest.trials.map((t) => t.id));
  return {
    remaining: () => Math.max(0, budget - made),
    /**
     * The next proposal from the observations so far (in proposal order), recorded. A trial to
     * run comes back as `trial`; a dropped or duplicate proposal has none (the caller asks again).
     */
    propose(history: TpeObservation[]): { proposal: Proposal; trial?: TpeTrial } | undefined {
      if (made >= budget) return undefined;
      if (!plan)
        throw new AnnealError('USAGE', `the TPE sweep in ${dir} needs its plan to propose trials`, {
          hint: 'pass `plan: await loadSweepPlan(dir, registry)` to runSweep',
        });
      const index = made;
      const point = proposeTpe(manifest.sweep.parameters, history, proposalRandom(seed, index), {
        goal: manifest.sweep.goal,
      });
      const trial = plan.trialAt(point, 0);
      const base = { index, point, history: history.length };
      let proposal: Proposal;
      let entry: TpeTrial | undefined;
      if (!('id' in trial)) proposal = { ...base, dropped: trial.reason };
      else if (known.has(trial.id)) proposal = { ...base, id: trial.id, seed: trial.config.seed, duplicate: true };
      else {
        proposal = { ...base, id: trial.id, seed: trial.config.seed };
        entry = { id: trial.id, point, repeat: 0, seed: trial.config.seed };
        // The config first: a proposal line always names a trial that can run.
        writeAtomic(
          paths.config(dir, trial.id),
          `# Trial ${trial.id} (TPE proposal ${index})\n${stringify(trial.config)}`,
        );
        known.add(trial.id);
      }
      appendProposal(dir, proposal);
      made++;
      return { proposal, trial: entry };
    },
  };
}
