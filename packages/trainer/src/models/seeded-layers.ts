import type { LayersModel } from '@tensorflow/tfjs';
import { deriveSeed } from '../random.ts';
import type { TF } from '../types.ts';

type Dropout = ReturnType<TF['layers']['dropout']>;

/** Where a seeded dropout layer keeps how many times it has drawn a mask (its stream position). */
const CALLS = Symbol.for('anneal.dropout.calls');

type Counted = { [CALLS]?: number; name: string };

/** Glorot-uniform (Keras's default for dense and conv kernels) drawn from a stream named by `label`. */
export function seededKernel(tf: TF, seed: number, label: string) {
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, `init/${label}`) });
}

/**
 * A dropout layer whose mask is reproducible from the run seed yet new at every batch.
 * tfjs's Dropout passes its `seed` straight to randomUniform, which reseeds on every call, so a
 * seeded Dropout drops the SAME units in every batch (tfjs-layers 4.22 layers/core.js); an
 * unseeded one uses Math.random. So each call gets its own seed, derived from the number of
 * calls so far. That count is the stream's position: it is kept on the layer, saved in every
 * checkpoint and restored on resume (`randomState`/`restoreRandomState`), so a resumed run
 * draws the masks an uninterrupted one would. The layer stays a plain `Dropout` instance, so a
 * saved model.json loads anywhere without custom classes.
 */
export function seededDropout(tf: TF, seed: number, label: string, rate: number): Dropout {
  const base = deriveSeed(seed, `dropout/${label}`);
  const layer = tf.layers.dropout({ rate, seed: base });
  const target = layer as unknown as Counted & { seed: number; call: (inputs: unknown, kwargs: unknown) => unknown };
  const call = target.call.bind(layer);
  target[CALLS] = 0;
  target.call = (inputs, kwargs) => {
    const calls = target[CALLS] ?? 0;
    target[CALLS] = calls + 1;
    target.seed = deriveSeed(base, String(calls));
    try {
      return call(inputs, kwargs);
    } finally {
      // getConfig (model.json) records the base seed, not whichever batch ran last.
      target.seed = base;
    }
  };
  return layer;
}

function counted(model: LayersModel): Counted[] {
  const out: Counted[] = [];
  const walk = (layers: unknown[]) => {
    for (const layer of layers as Array<Counted & { layers?: unknown[] }>) {
      if (typeof layer[CALLS] === 'number') out.push(layer);
      if (Array.isArray(layer.layers)) walk(layer.layers); // nested models
    }
  };
  walk(model.layers);
  return out;
}

/**
 * The position of every seeded random stream in the model, in layer order (for a checkpoint).
 * By order, not name: tfjs numbers auto-named layers per process, so names differ between runs.
 */
export function randomState(model: LayersModel): number[] {
  return counted(model).map((l) => l[CALLS]!);
}

/** Put every seeded stream back where a checkpoint recorded it. */
export function restoreRandomState(model: LayersModel, state: number[] | undefined): void {
  if (!state) return;
  counted(model).forEach((layer, i) => {
    if (typeof state[i] === 'number') layer[CALLS] = state[i];
  });
}
