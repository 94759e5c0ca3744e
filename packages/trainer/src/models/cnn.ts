import { AnnealError, definePlugin } from '@anneal/core';
import type { LayersModel } from '@tensorflow/tfjs';
import type { ModelContext } from '../types.ts';
import { seededDropout, seededKernel } from './seeded-layers.ts';

export const cnn = definePlugin({
  kind: 'model',
  name: 'cnn',
  description:
    'Small convolutional net for images (e.g. mnist with shape: image): conv–pool blocks, a dense layer, softmax.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      filters: {
        type: 'array',
        items: { type: 'integer', minimum: 1 },
        minItems: 1,
        default: [16, 32],
        description: 'Filters of each conv block (3×3 conv, ReLU, 2×2 max-pool), in order.',
      },
      kernelSize: { type: 'integer', minimum: 1, default: 3, description: 'Side of the square convolution kernels.' },
      dense: { type: 'integer', minimum: 1, default: 64, description: 'Units of the dense layer before the output.' },
      dropout: {
        type: 'number',
        minimum: 0,
        exclusiveMaximum: 1,
        default: 0.25,
        description: 'Dropout rate before the output layer; 0 for none.',
      },
    },
  },
  async create(options, ctx: ModelContext): Promise<LayersModel> {
    const { tf, seed, inputShape, numClasses } = ctx;
    if (inputShape.length !== 3) {
      throw new AnnealError(
        'PLUGIN_CREATE',
        `cnn needs image input [height, width, channels], but the data has shape [${inputShape.join(', ')}]; for mnist set data.shape: image.`,
        { hint: 'cnn takes images; use model: mlp for flat features' },
      );
    }
    // Each block halves height and width (2×2 pooling, floor); a side of 0 cannot be pooled.
    const smallest = Math.min(inputShape[0], inputShape[1]);
    if (smallest >> options.filters.length === 0) {
      throw new AnnealError(
        'PLUGIN_CREATE',
        `cnn: ${options.filters.length} conv blocks halve a ${inputShape[0]}×${inputShape[1]} image to nothing; use at most ${Math.floor(Math.log2(smallest))} entries in filters.`,
        { hint: 'each entry of model.filters adds a conv block that halves the image' },
      );
    }
    const model = tf.sequential({ name: 'cnn' });
    options.filters.forEach((filters, i) => {
      model.add(
        tf.layers.conv2d({
          filters,
          kernelSize: options.kernelSize,
          padding: 'same',
          activation: 'relu',
          kernelInitializer: seededKernel(tf, seed, `cnn/conv${i}`),
          ...(i === 0 ? { inputShape } : {}),
        }),
      );
      model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    });
    model.add(tf.layers.flatten());
    model.add(
      tf.layers.dense({
        units: options.dense,
        activation: 'relu',
        kernelInitializer: seededKernel(tf, seed, 'cnn/dense'),
      }),
    );
    if (options.dropout > 0) model.add(seededDropout(tf, seed, 'cnn/dropout', options.dropout));
    model.add(
      tf.layers.dense({
        units: numClasses,
        activation: 'softmax',
        kernelInitializer: seededKernel(tf, seed, 'cnn/output'),
      }),
    );
    return model;
  },
});
