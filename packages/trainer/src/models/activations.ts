/** tfjs-layers activation names (ActivationIdentifier in tfjs-layers 4.22). */
export const activations = [
  'relu',
  'elu',
  'selu',
  'gelu',
  'gelu_new',
  'swish',
  'mish',
  'tanh',
  'sigmoid',
  'hardSigmoid',
  'softplus',
  'softsign',
  'relu6',
  'linear',
] as const;
