/**
 * The optimizers anneal trains with and their options, named as in tfjs. Lives in core (not the
 * trainer) so that `exp validate` checks them without loading tfjs.
 */
const beta = (d: number, description: string) => ({
  type: 'number',
  exclusiveMinimum: 0,
  exclusiveMaximum: 1,
  default: d,
  description,
});
const eps = {
  type: 'number',
  exclusiveMinimum: 0,
  default: 1e-7,
  description: 'Small constant for numerical stability',
};

export const optimizerOptions: Record<string, Record<string, object>> = {
  sgd: {},
  momentum: {
    momentum: { type: 'number', minimum: 0, default: 0.9, description: 'Momentum factor' },
    nesterov: { type: 'boolean', default: false, description: 'Use Nesterov momentum' },
  },
  adam: {
    beta1: beta(0.9, 'Decay of the first-moment estimate'),
    beta2: beta(0.999, 'Decay of the second-moment estimate'),
    epsilon: eps,
  },
  adamax: {
    beta1: beta(0.9, 'Decay of the first-moment estimate'),
    beta2: beta(0.999, 'Decay of the infinity-norm estimate'),
    epsilon: eps,
    decay: {
      type: 'number',
      minimum: 0,
      default: 0,
      description: 'tfjs learning-rate decay (leave 0: use a schedule)',
    },
  },
  rmsprop: {
    decay: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: 0.9,
      description: 'Discount of the squared-gradient average',
    },
    momentum: { type: 'number', minimum: 0, default: 0, description: 'Momentum factor' },
    epsilon: eps,
    centered: { type: 'boolean', default: false, description: 'Normalise by the estimated gradient variance' },
  },
  adagrad: {
    initialAccumulatorValue: {
      type: 'number',
      exclusiveMinimum: 0,
      default: 0.1,
      description: 'Starting value of the accumulators',
    },
  },
  adadelta: { rho: beta(0.95, 'Decay of the running averages'), epsilon: eps },
};

export const optimizerNames = Object.keys(optimizerOptions);

/**
 * The optimizers a schedule's cycle_momentum can move: those with a `momentum` or a `beta1`
 * option — PyTorch's rule ("momentum" or "betas" among the optimizer's defaults). tfjs's `sgd`
 * has no momentum at all (PyTorch's SGD with momentum 0 is anneal's `momentum` with 0).
 */
export const momentumOptimizerNames = optimizerNames.filter(
  (name) => 'momentum' in optimizerOptions[name] || 'beta1' in optimizerOptions[name],
);

/** Per-optimizer option schemas, validated after `name` is known so the errors are about that optimizer only. */
export function optimizerSchema(name: string): object {
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      learningRate: {
        type: 'number',
        exclusiveMinimum: 0,
        description: 'The base learning rate (`base` in every schedule)',
      },
      ...optimizerOptions[name],
    },
    required: ['name', 'learningRate'],
  };
}
