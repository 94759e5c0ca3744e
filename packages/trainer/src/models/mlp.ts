import { definePlugin } from '@anneal/core';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelContext } from '../types.ts';
import { activations } from './activations.ts';
import { seededDropout, seededKernel } from './seeded-layers.ts';

export const mlp = definePlugin({
  kind: 'model',
  name: 'mlp',
  description: 'Multi-layer perceptron: dense hidden layers, optional dropout, softmax output. Flattens image inputs.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      hidden: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        default: [128],
        description: 'Units of each hidden layer, in order; [] for softmax regression.',
      },
      activation: { enum: activations, default: 'relu', description: 'Activation of the hidden layers (tfjs names).' },
      dropout: {
        type: 'number',
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0,
        description: 'Dropout rate after each hidden layer; 0 for none.',
      },
    },
  },
  async create(options, ctx: ModelContext): Promise<LayersModel> {
    const { tf, seed, inputShape, numClasses } = ctx;
    const model = tf.sequential({ name: 'mlp' });
    // A first layer must declare the input shape; flatten does so for images, else the first dense.
    if (inputShape.length > 1) model.add(tf.layers.flatten({ inputShape }));
    options.hidden.forEach((units, i) => {
      model.add(
        tf.layers.dense({
          units,
          activation: options.activation,
          kernelInitializer: seededKernel(tf, seed, `mlp/dense${i}`),
          ...(model.layers.length === 0 ? { inputShape } : {}),
        }),
      );
      if (options.dropout > 0) model.add(seededDropout(tf, seed, `mlp/dropout${i}`, options.dropout));
    });
    model.add(
      tf.layers.dense({
        units: numClasses,
        activation: 'softmax',
        kernelInitializer: seededKernel(tf, seed, 'mlp/output'),
        ...(model.layers.length === 0 ? { inputShape } : {}),
      }),
    );
    return model;
  },
});
