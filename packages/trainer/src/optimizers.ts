import { AnnealError, momentumOptimizerNames, optimizerOptions } from '@anneal/core';
import type { Optimizer } from '@tensorflow/tfjs';
import type { TF } from './types.ts';

export type OptimizerName = 'sgd' | 'momentum' | 'adam' | 'adamax' | 'rmsprop' | 'adagrad' | 'adadelta';

/** The config's `optimizer` section: tfjs names; options missing here take core's schema defaults. */
export interface OptimizerSpec {
  name: OptimizerName;
  learningRate: number;
  [option: string]: unknown;
}

/**
 * Builds a tfjs optimizer. The option table in @anneal/core (validated by `exp validate`)
 * is the one source of names and defaults; this maps it onto tfjs's positional arguments.
 */
export function createOptimizer(tf: TF, spec: OptimizerSpec): Optimizer {
  const table = optimizerOptions[spec.name];
  if (!table)
    throw new AnnealError('CONFIG_INVALID', `Unknown optimizer '${spec.name}'`, {
      hint: `optimizer.name is one of ${Object.keys(optimizerOptions).join(', ')}`,
    });
  const opt = (key: string): any => spec[key] ?? (table[key] as { default?: unknown } | undefined)?.default;
  const lr = spec.learningRate;
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(lr);
    case 'momentum':
      return tf.train.momentum(lr, opt('momentum'), opt('nesterov'));
    case 'adam':
      return tf.train.adam(lr, opt('beta1'), opt('beta2'), opt('epsilon'));
    case 'adamax':
      return tf.train.adamax(lr, opt('beta1'), opt('beta2'), opt('epsilon'), opt('decay'));
    case 'rmsprop':
      return tf.train.rmsprop(lr, opt('decay'), opt('momentum'), opt('epsilon'), opt('centered'));
    case 'adagrad':
      return tf.train.adagrad(lr, opt('initialAccumulatorValue'));
    case 'adadelta':
      return tf.train.adadelta(lr, opt('rho'), opt('epsilon'));
  }
}

/**
 * Sets the rate the next `applyGradients` uses — one place for a tfjs inconsistency
 * (DESIGN.md #8). SGD and Momentum (a subclass) keep the negated rate in a kept scalar
 * tensor `c`, made in the constructor and read by every step: assigning the field would be
 * silently ignored, so their own `setLearningRate` is called, which disposes the old scalar.
 * Adam, Adamax, RMSProp, Adagrad and Adadelta read the protected `learningRate` number at
 * each step and have no setter, so the field is written. (tfjs-core 4.22,
 * dist/optimizers/*_optimizer.js.)
 */
export function setLearningRate(optimizer: Optimizer, learningRate: number): void {
  if (!Number.isFinite(learningRate) || learningRate < 0)
    throw new AnnealError('RUN_FAILED', `the learning rate must be a finite number ≥ 0; got ${learningRate}`, {
      hint: 'the schedule gave this rate; check its options with `exp schedule`',
    });
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}

/** The rate the optimizer will use next, for logging (every tfjs optimizer keeps the number). */
export function getLearningRate(optimizer: Optimizer): number {
  return (optimizer as unknown as { learningRate: number }).learningRate;
}

/** The optimizers whose momentum cycle_momentum can move (PyTorch: `momentum` or Adam's `betas[0]`); `exp validate` checks it. */
export const momentumOptimizers = momentumOptimizerNames as readonly OptimizerName[];

/**
 * Sets the momentum the next `applyGradients` uses (PyTorch's cycle_momentum), one path per
 * optimizer as with the rate (tfjs-core 4.22, dist/optimizers/*_optimizer.js):
 * - Momentum multiplies by a scalar tensor `m` made in its constructor; its own `setMomentum`
 *   only writes the number, which no step reads — so the scalar is replaced (and the old freed).
 * - RMSProp reads the protected `momentum` number at each step, so the field is written.
 * - Adam and Adamax read `beta1` at each step, and divide by 1 − accBeta1, which they advance by
 *   multiplying with beta1; it is reset to beta1^(step + 1), as their own setWeights does, so the
 *   bias correction is PyTorch's 1 − beta1^step with the current beta1.
 * SGD, Adagrad and Adadelta have no momentum: asking for one is an error, as in PyTorch.
 */
export function setMomentum(tf: TF, optimizer: Optimizer, name: OptimizerName, momentum: number): void {
  if (!Number.isFinite(momentum) || momentum < 0)
    throw new AnnealError('CONFIG_INVALID', `Momentum must be a finite number ≥ 0; got ${momentum}.`);
  const target = optimizer as unknown as {
    m?: { dispose(): void };
    momentum?: number;
    beta1?: number;
    accBeta1?: { assign(t: unknown): void };
    iterations: number;
  };
  switch (name) {
    case 'momentum': {
      const old = target.m;
      target.m = tf.keep(tf.scalar(momentum));
      target.momentum = momentum;
      old?.dispose();
      return;
    }
    case 'rmsprop':
      target.momentum = momentum;
      return;
    case 'adam':
    case 'adamax':
      target.beta1 = momentum;
      tf.tidy(() => target.accBeta1?.assign(tf.pow(tf.scalar(momentum), target.iterations + 1)));
      return;
    default:
      throw new AnnealError(
        'CONFIG_INVALID',
        `Optimizer '${name}' has no momentum to cycle; use one of ${momentumOptimizers.join(', ')}, or turn cycleMomentum off.`,
      );
  }
}
