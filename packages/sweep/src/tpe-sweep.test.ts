import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SWEEP_FORMAT, trialId, type SweepPlan, type SweepPoint } from '@anneal/core';
import { readProposals } from './proposals.ts';
import type { TrialRow } from './results.ts';
import { paths, readManifest, type SweepManifest } from './sweep-dir.ts';
import { observation, openTpe, proposalRandom } from './tpe-sweep.ts';
import { proposeTpe } from './tpe.ts';

const parameters = { x: { min: 0, max: 10, log: false, int: false }, act: ['relu', 'tanh'] };

function sweepDir(trials: number, extra: Partial<SweepManifest['sweep']> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-tpe-'));
  const manifest = {
    formatVersion: SWEEP_FORMAT,
    name: 't',
    createdAt: new Date().toISOString(),
    sweep: {
      method: 'tpe',
      parameters,
      zip: [],
      exclude: [],
      repeats: 1,
      trials,
      metric: 'val_acc',
      goal: 'max',
      seed: 5,
      ...extra,
    },
    keys: Object.keys(extra.parameters ?? parameters),
    trials: [],
    dropped: [],
  } as unknown as SweepManifest;
  writeFileSync(paths.manifest(dir), JSON.stringify(manifest));
  return dir;
}

/** A stand-in for planSweep's trialAt: points with x above 8 are "invalid"; the id hashes the point. */
const plan: Pick<SweepPlan, 'trialAt'> = {
  trialAt: (point: SweepPoint, repeat: number) =>
    (point.x as number) > 8
      ? { point, repeat, reason: 'x too large' }
      : ({ id: trialId(point), point, repeat, config: { seed: 7, point } } as unknown as ReturnType<
          SweepPlan['trialAt']
        >),
};

describe('TPE proposals in the sweep directory', () => {
  it('records each proposal before its trial runs; dropped and duplicate ones spend budget', () => {
    const dir = sweepDir(6, { parameters: { act: ['relu', 'tanh'] } as never });
    const tpe = openTpe(dir, readManifest(dir), plan);
    const made = [];
    for (let m = tpe.propose([]); m; m = tpe.propose([])) {
      // On disk before the caller sees it, its config too.
      expect(readProposals(dir).at(-1)).toEqual(m.proposal);
      if (m.trial) expect(existsSync(paths.config(dir, m.trial.id))).toBe(true);
      made.push(m);
    }
    expect(made.map((m) => m.proposal.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(tpe.remaining()).toBe(0);
    // Two choices: at most two trials; every other proposal names the earlier trial with its config.
    const trials = made.filter((m) => m.trial);
    expect(trials.length).toBeLessThanOrEqual(2);
    for (const m of made.filter((x) => !x.trial)) {
      expect(m.proposal.duplicate).toBe(true);
      expect(trials.map((t) => t.trial!.id)).toContain(m.proposal.id);
    }
    expect(readManifest(dir).trials.map((t) => t.id)).toEqual(trials.map((t) => t.trial!.id));
  });

  it('drops a point the plan refuses, recording why, and lists it with the dropped points', () => {
    const dir = sweepDir(40, { parameters: { x: parameters.x } as never });
    const tpe = openTpe(dir, readManifest(dir), plan);
    while (tpe.propose([]));
    const proposals = readProposals(dir);
    const dropped = proposals.filter((p) => p.dropped);
    // Uniform start-up draws on [0, 10]: about a fifth above 8.
    expect(dropped.length).toBeGreaterThan(0);
    for (const p of dropped) expect(p.point.x as number).toBeGreaterThan(8);
    const manifest = readManifest(dir);
    expect(manifest.dropped.map((d) => d.reason)).toEqual(dropped.map(() => 'x too large'));
    expect(manifest.trials.length).toBe(40 - dropped.length);
  });

  it('continues the same sequence after a stop: each proposal is seeded by the sweep seed and its index', () => {
    const once = sweepDir(6);
    const oneGo = openTpe(once, readManifest(once), plan);
    while (oneGo.propose([]));
    const twice = sweepDir(6);
    const first = openTpe(twice, readManifest(twice), plan);
    for (let i = 0; i < 3; i++) first.propose([]);
    // A kill in the middle of the next append leaves a cut line: never acted on, so dropped.
    appendFileSync(join(twice, 'proposals.jsonl'), '{"index":3,"point":{"x":');
    expect(readProposals(twice)).toHaveLength(3);
    const second = openTpe(twice, readManifest(twice), plan);
    expect(second.remaining()).toBe(3);
    while (second.propose([]));
    expect(readFileSync(join(twice, 'proposals.jsonl'), 'utf8')).toBe(
      readFileSync(join(once, 'proposals.jsonl'), 'utf8'),
    );
    // And each is the sampler's draw from proposalRandom(seed, index), nothing else.
    readProposals(once).forEach((p) =>
      expect(p.point).toEqual(proposeTpe(parameters, [], proposalRandom(5, p.index), { goal: 'max' })),
    );
  });

  it('refuses a damaged proposals file with its line', () => {
    const dir = sweepDir(3);
    writeFileSync(join(dir, 'proposals.jsonl'), '{"index":0,"point":{},"history":0,"id":"../../etc"}\n');
    expect(() => readManifest(dir)).toThrow(/proposals.jsonl:1: "..\/..\/etc" is not a trial id/);
  });
});

describe('what TPE learns from a finished trial', () => {
  const row = (status: string, best: number | null, final: number | null, epochs: number) =>
    ({
      id: 't-0000000000',
      point: { x: 1 },
      repeat: 0,
      seed: 0,
      status,
      best,
      final,
      bestEpoch: 0,
      epochs,
      seconds: 1,
    }) as TrialRow;

  it('completed by its ranking value (the best epoch), pruned by its last value and epochs, others not at all', () => {
    expect(observation(row('completed', 0.9, 0.8, 5), 'max')).toEqual({
      point: { x: 1 },
      value: 0.9,
      state: 'completed',
      epochs: 5,
    });
    expect(observation(row('pruned', 0.7, 0.6, 2), 'max')).toEqual({
      point: { x: 1 },
      value: 0.6,
      state: 'pruned',
      epochs: 2,
    });
    expect(observation(row('pruned', null, null, 0), 'min')?.value).toBe(Number.POSITIVE_INFINITY);
    for (const status of ['failed', 'diverged', 'running'])
      expect(observation(row(status, 0.5, 0.5, 3), 'max')).toBeUndefined();
  });
});
