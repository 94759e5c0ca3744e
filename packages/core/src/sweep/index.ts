export { planSweep, tpeStartupTrials } from './plan.ts';
export type { DroppedPoint, SweepPlan, Trial } from './plan.ts';
export { expandSweep, sampleParameter, seededRandom } from './expand.ts';
export type { SweepPoint } from './expand.ts';
export { parseSweepValue, splitSweepArgs } from './parameters.ts';
export { evalConstraint } from './expression.ts';
export { canonicalJson, trialId } from './trial-id.ts';
