import { definePlugin } from '@anneal/core';
import { createRng, deriveSeed, gaussian } from '../random.ts';
import type { Dataset, DatasetContext } from '../types.ts';
import { splitSizes, validationSplitOption } from './split.ts';
import { tabularDataset } from './tabular.ts';

export const synthetic = definePlugin({
  kind: 'dataset',
  name: 'synthetic',
  description:
    '2-D toy classification: interleaved spirals (needs a non-linear model) or Gaussian blobs, generated from the run seed.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      kind: {
        enum: ['spirals', 'blobs'],
        default: 'spirals',
        description:
          "'spirals': one arm a class, as in CS231n; 'blobs': one Gaussian cluster a class, centres on the unit circle.",
      },
      samples: {
        type: 'integer',
        minimum: 2,
        default: 1000,
        description: 'Total examples, shared as evenly as possible between the classes.',
      },
      classes: { type: 'integer', minimum: 2, default: 3, description: 'Number of classes (arms or blobs).' },
      noise: {
        type: 'number',
        minimum: 0,
        default: 0.1,
        description:
          'Standard deviation of the Gaussian noise added to each coordinate (points lie within radius 1 before noise).',
      },
      validationSplit: validationSplitOption(0.2),
    },
  },
  count: (options) => splitSizes(options.samples, options.validationSplit).train,
  hasValidation: (options) => options.validationSplit > 0,
  async create(options, ctx: DatasetContext): Promise<Dataset> {
    const { samples, classes, noise } = options;
    const rng = createRng(deriveSeed(ctx.seed, `synthetic/${options.kind}`));
    const point = options.kind === 'spirals' ? spiralPoint : blobPoint;
    const features = new Float32Array(samples * 2);
    const labels = new Int32Array(samples);
    for (let i = 0; i < samples; i++) {
      const label = i % classes;
      // Position along the arm, 0..1, from this example's rank within its class.
      const perClass = Math.ceil((samples - label) / classes);
      const t = perClass > 1 ? Math.floor(i / classes) / (perClass - 1) : 0;
      const [x, y] = point(label, classes, t);
      features[2 * i] = x + noise * gaussian(rng);
      features[2 * i + 1] = y + noise * gaussian(rng);
      labels[i] = label;
    }
    return tabularDataset(
      ctx.tf,
      { features, labels, rowLength: 2 },
      {
        validationSplit: options.validationSplit,
        // Coordinates are already of order 1 and centred; scaling would distort the shapes.
        standardize: false,
        seed: ctx.seed,
        label: 'synthetic',
        numClasses: classes,
      },
    );
  },
});

/** Arm `label` of `classes`: radius grows 0→1 while the angle turns 4 radians (CS231n's spiral data). */
function spiralPoint(label: number, classes: number, t: number): [number, number] {
  const angle = (2 * Math.PI * label) / classes + 4 * t;
  return [t * Math.sin(angle), t * Math.cos(angle)];
}

function blobPoint(label: number, classes: number): [number, number] {
  const angle = (2 * Math.PI * label) / classes;
  return [Math.cos(angle), Math.sin(angle)];
}
