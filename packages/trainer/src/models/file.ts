import path from 'node:path';
import { AnnealError, definePlugin, filePath } from '@anneal/core';
import type { LayersModel } from '@tensorflow/tfjs';
import { loadModel } from '../model-io.ts';
import type { ModelContext } from '../types.ts';

export const fileModel = definePlugin({
  kind: 'model',
  name: 'file',
  description:
    'A tfjs layers model from a model.json (with its weight files), e.g. one saved by an earlier run, to train further.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: filePath('The model.json, relative to the config file.'),
    },
  },
  async create(options, ctx: ModelContext): Promise<LayersModel> {
    const modelPath = path.resolve(ctx.configDir, options.path);
    const model = await loadModel(ctx.tf, modelPath);
    // A shape mismatch would otherwise surface as an opaque error in the first batch.
    const input = model.inputs[0].shape.slice(1);
    const output = model.outputs[0].shape.slice(1);
    const fits = input.length === ctx.inputShape.length && input.every((d, i) => d === null || d === ctx.inputShape[i]);
    if (!fits || output.length !== 1 || output[0] !== ctx.numClasses) {
      model.dispose();
      throw new AnnealError(
        'PLUGIN_CREATE',
        `${modelPath} takes input [${input.join(', ')}] and gives [${output.join(', ')}], but the data have input [${ctx.inputShape.join(', ')}] and ${ctx.numClasses} classes.`,
        { hint: 'use a model built for this data, or change data: to match the model' },
      );
    }
    return model;
  },
});
