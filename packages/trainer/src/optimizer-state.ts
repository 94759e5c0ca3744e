import type { Optimizer, Tensor, Variable } from '@tensorflow/tfjs';
import type { TF } from './types.ts';

/**
 * An optimizer's whole state for a checkpoint, so a resumed run steps exactly as an
 * uninterrupted one. `getWeights` alone falls short in tfjs-core 4.22
 * (dist/optimizers/adam*_optimizer.js): Adam's `setWeights` recomputes its bias-correction
 * products as beta^(t+1), while training multiplies them step by step in float32, so a resumed
 * run drifts by an ulp; Adamax implements neither getWeights nor setWeights. Those few fields
 * are saved beside the rest under names starting `anneal/`.
 */
interface Slot {
  originalName: string;
  variable: Variable;
}
interface Internals {
  accBeta1?: Variable;
  accBeta2?: Variable;
  iteration?: Variable;
  accumulatedFirstMoment?: Slot[];
  accumulatedWeightedInfNorm?: Slot[];
  getClassName(): string;
}

const EXTRA = 'anneal/';

type NamedTensor = { name: string; tensor: Tensor };

export async function optimizerWeights(optimizer: Optimizer): Promise<NamedTensor[]> {
  const o = optimizer as unknown as Internals;
  if (o.getClassName() === 'Adamax') {
    return [
      { name: `${EXTRA}iteration`, tensor: o.iteration! },
      { name: `${EXTRA}accBeta1`, tensor: o.accBeta1! },
      ...(o.accumulatedFirstMoment ?? []).map((s) => ({ name: s.originalName, tensor: s.variable })),
      ...(o.accumulatedWeightedInfNorm ?? []).map((s) => ({ name: s.originalName, tensor: s.variable })),
    ];
  }
  const weights = await optimizer.getWeights();
  for (const key of ['accBeta1', 'accBeta2'] as const) {
    const v = o[key];
    if (v) weights.push({ name: `${EXTRA}${key}`, tensor: v });
  }
  return weights;
}

export async function setOptimizerWeights(tf: TF, optimizer: Optimizer, weights: NamedTensor[]): Promise<void> {
  const o = optimizer as unknown as Internals;
  const extra = new Map(
    weights.filter((w) => w.name.startsWith(EXTRA)).map((w) => [w.name.slice(EXTRA.length), w.tensor]),
  );
  const own = weights.filter((w) => !w.name.startsWith(EXTRA));
  const assign = (target: Variable | undefined, value: Tensor | undefined) => {
    if (target && value) target.assign(value);
  };
  if (o.getClassName() === 'Adamax') {
    assign(o.iteration, extra.get('iteration'));
    assign(o.accBeta1, extra.get('accBeta1'));
    // Slots in the order applyGradients indexes them (the model's trainable variables).
    const slots = (suffix: string) =>
      own
        .filter((w) => w.name.endsWith(suffix))
        .map((w) => ({ originalName: w.name, variable: tf.variable(w.tensor, false) }));
    o.accumulatedFirstMoment = slots('/m');
    o.accumulatedWeightedInfNorm = slots('/v');
    return;
  }
  await optimizer.setWeights(own);
  assign(o.accBeta1, extra.get('accBeta1'));
  assign(o.accBeta2, extra.get('accBeta2'));
}
