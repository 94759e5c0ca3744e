import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AnnealError, definePlugin } from '@anneal/core';
import type { Dataset, DatasetContext } from '../types.ts';
import { shuffledIndices, splitSizes, validationSplitOption } from './split.ts';
import { makeDataset, makeSplit, type Examples } from './tensors.ts';

// The `mnist` package ships 10,000 digits (the MNIST test set) as JSON, about 1,000 a class,
// in src/digits/<d>.json as {"data": [784 pixels of image 0, then image 1, …]}. Its own
// set()/get() pick with Math.random, so only the raw data is used and split with the seed.
const total = 10_000;
const pixels = 28 * 28;

export const mnist = definePlugin({
  kind: 'dataset',
  name: 'mnist',
  description:
    'Handwritten digits 0–9 from the `mnist` package (10,000 28×28 greyscale images, pixels in [0, 1]), split with the run seed.',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      trainSize: {
        type: 'integer',
        minimum: 1,
        maximum: total - 1,
        default: 8000,
        description: 'Images in the training set (before any validation hold-out).',
      },
      testSize: {
        type: 'integer',
        minimum: 0,
        maximum: total - 1,
        default: 2000,
        description: 'Images in the test set, used for validation when validationSplit is 0.',
      },
      shape: {
        enum: ['flat', 'image'],
        default: 'flat',
        description: "'flat': 784 features (for mlp); 'image': 28×28×1 (for cnn).",
      },
      validationSplit: {
        ...validationSplitOption(0),
        description:
          'If above 0, hold this fraction of the training set out for validation (the test set is then unused); if 0, the test set is the validation set.',
      },
    },
  },
  check(options) {
    if (options.trainSize + options.testSize <= total) return [];
    return [
      {
        path: 'trainSize',
        message: `trainSize + testSize is ${options.trainSize + options.testSize}, but the mnist package holds only ${total} images`,
        hint: `Lower trainSize or testSize so they add up to at most ${total}.`,
      },
    ];
  },
  count: (options) => splitSizes(options.trainSize, options.validationSplit).train,
  // The test set validates when nothing is held out.
  hasValidation: (options) => options.validationSplit > 0 || options.testSize > 0,
  async create(options, ctx: DatasetContext): Promise<Dataset> {
    if (options.trainSize + options.testSize > total)
      throw new AnnealError('CONFIG_INVALID', `mnist: trainSize + testSize must be at most ${total}.`, {
        hint: 'lower data.trainSize or data.testSize',
      });
    const examples = loadAll();
    // One seeded permutation of all 10,000: the test set first, then training, so a given
    // seed and testSize always test on the same images whatever trainSize is.
    const order = shuffledIndices(total, ctx.seed, 'mnist/split');
    const testRows = order.subarray(0, options.testSize);
    const trainAll = order.subarray(options.testSize, options.testSize + options.trainSize);
    const sizes = splitSizes(trainAll.length, options.validationSplit);
    const inputShape = options.shape === 'image' ? [28, 28, 1] : [pixels];
    const { tf } = ctx;
    const train = makeSplit(tf, examples, trainAll.subarray(0, sizes.train), inputShape, 10);
    const val =
      sizes.val > 0
        ? { val: makeSplit(tf, examples, trainAll.subarray(sizes.train), inputShape, 10), valSource: 'split' as const }
        : options.testSize > 0
          ? { val: makeSplit(tf, examples, testRows, inputShape, 10), valSource: 'test' as const }
          : {};
    return makeDataset({
      train,
      ...val,
      inputShape,
      numClasses: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    });
  },
});

/**
 * All 10,000 images in a fixed order (digit 0's, then 1's, …) before any shuffle. Parsing the
 * package's 21 MB of JSON takes about a second, so the decoded arrays are kept for the life of
 * the process (31 MB; never mutated: makeSplit copies rows out). The JSON files are read
 * directly rather than through the package's entry point, which would also keep its own
 * copy as plain number arrays in the require cache.
 */
let cached: Examples | undefined;
const reinstall = 'the `mnist` package looks damaged; reinstall it (pnpm install --force)';
function loadAll(): Examples {
  if (cached) return cached;
  const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('mnist')), 'digits');
  const features = new Float32Array(total * pixels);
  const labels = new Int32Array(total);
  let n = 0;
  for (let d = 0; d < 10; d++) {
    const raw = (JSON.parse(readFileSync(path.join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    const count = raw.length / pixels;
    if (n + count > total || !Number.isInteger(count))
      throw new AnnealError('DATA', `mnist: unexpected data in ${path.join(dir, `${d}.json`)}.`, { hint: reinstall });
    features.set(raw, n * pixels);
    labels.fill(d, n, n + count);
    n += count;
  }
  if (n !== total)
    throw new AnnealError('DATA', `mnist: expected ${total} images in the mnist package, found ${n}.`, {
      hint: reinstall,
    });
  cached = { features, labels, rowLength: pixels };
  return cached;
}
