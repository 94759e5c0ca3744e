import { describe, expect, it } from 'vitest';
import { ashaExpectedEpochs, ashaRungs, createPruner, percentile, type PrunerConfig } from './pruners.ts';

const asha = (over: Partial<PrunerConfig> = {}): PrunerConfig => ({
  name: 'asha',
  metric: 'reward',
  mode: 'max',
  minEpochs: 1,
  reductionFactor: 2,
  startupTrials: 0,
  ...over,
});

describe('percentile', () => {
  it('interpolates linearly as numpy.percentile does', () => {
    expect(percentile([100, 450], 50)).toBe(275);
    expect(percentile([1, 2, 3, 4], 75)).toBe(3.25); // numpy: 3.25
    expect(percentile([5], 66.7)).toBe(5);
    expect(percentile([3, 1, 2], 0)).toBe(1);
  });
});

describe('asha', () => {
  it('puts rungs at minEpochs·η^k below the last epoch', () => {
    expect(ashaRungs(1, 2, 10)).toEqual([8, 4, 2, 1]);
    expect(ashaRungs(1, 3, 9)).toEqual([3, 1]);
    expect(ashaRungs(2, 3, 27)).toEqual([18, 6, 2]);
    expect(ashaRungs(5, 3, 4)).toEqual([]);
  });

  // Ray Tune's test_trial_scheduler.py, AsyncHyperBandSuite.basicSetup + testAsyncHBUsesPercentile:
  // grace 1, max_t 10, η 2; t1 reports i·100 at i = 0..9, t2 reports 450 at i = 0..4, then t3's
  // 260 at iteration 1 is below the median (275) of rung 1's {100, 450} and stops.
  it("reproduces Ray Tune's worked example", () => {
    const p = createPruner(asha(), 10);
    for (let i = 0; i < 10; i++) expect(p.report('t1', i, i * 100)).toBe('continue');
    for (let i = 0; i < 5; i++) expect(p.report('t2', i, 450)).toBe('continue');
    p.complete('t1');
    p.complete('t2');
    expect(p.report('t3', 1, 260)).toBe('stop');
    expect(p.stopped.get('t3')).toBe(1);
    expect(p.report('t3', 2, 10_000)).toBe('stop'); // a decision is final
    expect(p.report('t4', 1, 275)).toBe('continue'); // at the cutoff is in the top half
  });

  it('keeps the top 1/η asynchronously: the first trial at a rung always goes on', () => {
    const p = createPruner(asha({ reductionFactor: 3 }), 9);
    expect(p.report('a', 1, 0.1)).toBe('continue'); // alone at rung 1
    expect(p.report('b', 1, 0.5)).toBe('continue'); // above the 66.7th percentile of {0.1}
    expect(p.report('c', 1, 0.3)).toBe('stop'); // cutoff of {0.1, 0.5} = 0.1 + 0.4·2/3 ≈ 0.367
    // c is recorded before it stops (as in Ray Tune): cutoff of {0.1, 0.3, 0.5} = 0.3 + 0.2·1/3 ≈ 0.367
    expect(p.report('d', 1, 0.45)).toBe('continue');
    expect(p.report('e', 1, 0.35)).toBe('stop');
  });

  it('negates a metric to minimise, as Ray Tune does', () => {
    const p = createPruner(asha({ mode: 'min' }), 10);
    expect(p.report('a', 1, 0.2)).toBe('continue');
    expect(p.report('b', 1, 0.9)).toBe('stop'); // a larger loss is worse
    expect(p.report('c', 1, 0.1)).toBe('continue');
  });

  it('saves and restores every record and decision', () => {
    const p = createPruner(asha(), 10);
    p.report('a', 1, 1);
    p.report('b', 1, 0);
    const state = JSON.parse(JSON.stringify(p.toJSON()));
    const q = createPruner(asha(), 10, state);
    expect(q.stopped.get('b')).toBe(1);
    expect(q.report('c', 1, 0.4)).toBe(p.report('c', 1, 0.4));
    expect(() => createPruner({ ...asha(), name: 'median' }, 10, state)).toThrow(/asha/);
  });

  // A queue trial that finished while its controller was away is answered late: a stop then stopped
  // nothing, and pruner.json must not list a trial that ran to its end.
  it('forgets a late stop for a trial that completed', () => {
    const p = createPruner(asha(), 8);
    expect(p.report('good', 1, 1)).toBe('continue');
    expect(p.report('late', 1, 0)).toBe('stop');
    p.complete('late');
    expect([...p.stopped.keys()]).toEqual([]);
    expect(p.toJSON().completed).toEqual(['late']);
  });

  it('expects fewer epochs than the grid by the rung arithmetic', () => {
    // rungs 1, 3 in 9 epochs: everyone runs 1, a third runs to 3, a ninth to 9.
    expect(ashaExpectedEpochs(1, 3, 9)).toBeCloseTo(1 + (3 - 1) / 3 + (9 - 3) / 9, 12);
    expect(ashaExpectedEpochs(5, 3, 4)).toBe(4);
  });
});

describe('median', () => {
  const median = (over: Partial<PrunerConfig> = {}): PrunerConfig => ({
    ...asha(),
    name: 'median',
    minEpochs: 0,
    startupTrials: 1,
    ...over,
  });

  // Optuna's tests/pruners_tests/test_median.py: no completed trial → never prune; a value worse
  // than the completed trials' median at that step → prune; an equal one → keep.
  it("follows Optuna's MedianPruner", () => {
    const p = createPruner(median({ mode: 'min' }), 10);
    expect(p.report('first', 1, 1)).toBe('continue'); // nothing completed yet
    p.complete('first');
    expect(p.report('tie', 1, 1)).toBe('continue');
    expect(p.report('worse', 1, 2)).toBe('stop');
  });

  it("judges by the trial's best value so far, waits for startup trials and warm-up epochs", () => {
    const p = createPruner(median({ startupTrials: 2, minEpochs: 2 }), 10);
    for (const [id, values] of [
      ['a', [0.5, 0.6, 0.7]],
      ['b', [0.3, 0.4, 0.5]],
    ] as const) {
      values.forEach((v, i) => p.report(id, i + 1, v));
      if (id === 'a') expect(p.report('early', 2, 0)).toBe('continue'); // one completed < startupTrials
      p.complete(id);
    }
    expect(p.report('c', 1, 0)).toBe('continue'); // within warm-up
    expect(p.report('c', 2, 0.49)).toBe('stop'); // median at epoch 2 of {0.6, 0.4} = 0.5
    expect(p.report('d', 1, 0.9)).toBe('continue');
    expect(p.report('d', 2, 0.1)).toBe('continue'); // best so far 0.9 ≥ 0.5
  });
});

describe('a stop decision saved before a kill', () => {
  it('stops the rerun trial at the epoch it was stopped at, not before', () => {
    const p = createPruner(asha(), 10);
    p.report('good', 1, 1);
    p.report('good', 2, 1);
    p.report('bad', 1, 1);
    expect(p.report('bad', 2, 0)).toBe('stop');
    // The sweep was killed before the trial's summary said `pruned`: it runs again from epoch 1.
    const again = createPruner(asha(), 10, JSON.parse(JSON.stringify(p.toJSON())));
    expect(again.report('bad', 1, 1)).toBe('continue');
    expect(again.report('bad', 2, 1)).toBe('stop');
    expect(again.stopped.get('bad')).toBe(2);
  });
});
