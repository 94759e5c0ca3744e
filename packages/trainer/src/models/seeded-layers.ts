import { deriveSeed } from '../random.ts';
import type { TF } from '../types.ts';

type Dropout = ReturnType<TF['layers']['dropout']>;

/** Glorot-uniform (Keras's default for dense and conv kernels) drawn from a stream named by `label`. */
export function seededKernel(tf: TF, seed: number, label: string) {
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, `init/${label}`) });
}

/**
 * A dropout layer whose mask is reproducible from the run seed yet new at every batch.
 * tfjs's Dropout passes its `seed` straight to randomUniform, which reseeds on every call, so a
 * seeded Dropout drops the SAME units in every batch (tfjs-layers 4.22 layers/core.js); an
 * unseeded one uses Math.random. So each call gets its own derived seed. The layer stays a
 * plain `Dropout` instance, so a saved model.json loads anywhere without custom classes.
 */
export function seededDropout(tf: TF, seed: number, label: string, rate: number): Dropout {
  const base = deriveSeed(seed, `dropout/${label}`);
  const layer = tf.layers.dropout({ rate, seed: base });
  const target = layer as unknown as { seed: number; call: (inputs: unknown, kwargs: unknown) => unknown };
  const call = target.call.bind(layer);
  let calls = 0;
  target.call = (inputs, kwargs) => {
    target.seed = deriveSeed(base, String(calls++));
    try {
      return call(inputs, kwargs);
    } finally {
      // getConfig (model.json) records the base seed, not whichever batch ran last.
      target.seed = base;
    }
  };
  return layer;
}
