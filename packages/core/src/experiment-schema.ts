import { limits } from './limits.ts';
import { optimizerNames } from './optimizer-schema.ts';

/** Keys of `schedule:` that belong to anneal, not to the selected schedule plugin. */
export const scheduleCommonKeys = ['name', 'unit', 'reduceOnPlateau'] as const;

const monitor = { type: 'string', default: 'val_loss', description: 'Metric to watch: loss, acc, val_loss or val_acc' };
const mode = {
  enum: ['auto', 'min', 'max'],
  default: 'auto',
  description: 'Whether the monitored metric should go down or up; auto: up for *acc*, down otherwise',
};

const reduceOnPlateau = {
  type: 'object',
  additionalProperties: false,
  description:
    'Multiply the schedule by `factor` when `monitor` stops improving (Keras ReduceLROnPlateau); needs unit-independent epochs',
  properties: {
    monitor,
    mode,
    factor: {
      type: 'number',
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      default: 0.1,
      description: 'Factor applied to the rate on each plateau',
    },
    patience: {
      type: 'integer',
      minimum: 0,
      default: 10,
      description: 'Epochs without improvement before the rate is reduced',
    },
    minDelta: {
      type: 'number',
      minimum: 0,
      default: 1e-4,
      description: 'Smallest change that counts as an improvement',
    },
    cooldown: {
      type: 'integer',
      minimum: 0,
      default: 0,
      description: 'Epochs to wait after a reduction before watching again',
    },
    minLr: { type: 'number', minimum: 0, default: 0, description: 'The rate is never reduced below this' },
    rules: {
      enum: ['keras', 'pytorch'],
      default: 'keras',
      description:
        'Whose counting: keras reduces once `patience` epochs in a row did not improve; pytorch once more than `patience` did (num_bad_epochs > patience), and skips a reduction smaller than `eps`',
    },
    thresholdMode: {
      enum: ['abs', 'rel'],
      default: 'abs',
      description:
        'How minDelta counts (PyTorch threshold_mode): abs, beat the best by minDelta (Keras min_delta); rel, by minDelta × |best| (PyTorch default)',
    },
    eps: {
      type: 'number',
      minimum: 0,
      default: 1e-8,
      description:
        'With rules: pytorch, a reduction that changes the rate by no more than this is skipped (PyTorch eps)',
    },
  },
};

const pluginSection = (kind: string) => ({
  type: 'object',
  required: ['name'],
  description: `The ${kind} plugin and its options (\`exp plugins ${kind}\` lists them)`,
  properties: { name: { type: 'string', description: `Name of a registered ${kind} plugin` } },
});

const sweepParameter = {
  description: 'A list of values (grid or random choice), or a range { min, max, log?, int? } for random search',
  anyOf: [
    { type: 'array', minItems: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['min', 'max'],
      properties: {
        min: { type: 'number' },
        max: { type: 'number' },
        log: { type: 'boolean', default: false, description: 'Sample uniformly in log space' },
        int: { type: 'boolean', default: false, description: 'Round samples to integers' },
      },
    },
  ],
};

/**
 * The top level of an experiment file. Plugin options (data, model, schedule) are validated in a
 * second stage against the selected plugin's own schema, so their messages speak of that plugin.
 */
export const experimentSchema = {
  $id: 'https://anneal.dev/schema/experiment.json',
  title: 'anneal experiment',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'optimizer', 'train'],
  properties: {
    name: {
      type: 'string',
      pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$',
      description: 'Experiment name; runs go to runs/<name>/',
    },
    seed: {
      type: 'integer',
      minimum: 0,
      // Seeds are 32-bit in every generator used (and a sweep adds the repeat number).
      maximum: 2 ** 32 - 1 - limits.sweepTrials,
      default: 0,
      description: 'Seed for data shuffling, splits and weight initialisation',
    },
    extends: {
      description: 'Config file(s) this one builds on (deep merge, later wins, lists replace)',
      anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    },
    plugins: {
      type: 'array',
      items: { type: 'string' },
      default: [],
      description: 'Plugin files (relative to this file, .ts or .js) or package names',
    },
    data: pluginSection('dataset'),
    model: pluginSection('model'),
    optimizer: {
      type: 'object',
      required: ['name', 'learningRate'],
      description: 'The optimizer (tfjs names) and its base learning rate',
      properties: {
        name: { enum: optimizerNames, description: 'Optimizer' },
        learningRate: {
          type: 'number',
          exclusiveMinimum: 0,
          description: 'The base learning rate (`base` in every schedule)',
        },
      },
    },
    schedule: {
      type: 'object',
      default: { name: 'constant' },
      description: 'The learning-rate schedule plugin and its options (`exp plugins schedule`)',
      properties: {
        name: { type: 'string', default: 'constant', description: 'Name of a registered schedule plugin' },
        unit: {
          enum: ['epoch', 'step'],
          default: 'epoch',
          description: 'epoch: the rate changes once per epoch; step: before every batch',
        },
        reduceOnPlateau,
      },
    },
    train: {
      type: 'object',
      additionalProperties: false,
      required: ['epochs'],
      description: 'How long and how to train',
      properties: {
        epochs: { type: 'integer', minimum: 1, description: 'Number of epochs' },
        batchSize: { type: 'integer', minimum: 1, default: 32, description: 'Examples per batch' },
        shuffle: { type: 'boolean', default: true, description: 'Reshuffle the training set every epoch (seeded)' },
        backend: {
          enum: ['auto', 'tensorflow', 'wasm', 'cpu'],
          default: 'auto',
          description: 'tfjs backend; auto: tfjs-node if installed, else wasm, else cpu',
        },
        stepsPerEpoch: {
          type: 'integer',
          minimum: 1,
          description:
            'Batches per epoch. Without a data section it sizes `unit: step` schedules; with one it caps the batches each epoch trains on (at most ceil(training examples / batchSize))',
        },
        earlyStopping: {
          type: 'object',
          additionalProperties: false,
          description: 'Stop when `monitor` has not improved for `patience` epochs (Keras EarlyStopping)',
          properties: {
            monitor,
            mode,
            patience: {
              type: 'integer',
              minimum: 0,
              default: 5,
              description: 'Epochs without improvement before stopping',
            },
            minDelta: {
              type: 'number',
              minimum: 0,
              default: 0,
              description: 'Smallest change that counts as an improvement',
            },
            restoreBest: {
              type: 'boolean',
              default: false,
              description: 'Restore the weights of the best epoch at the end',
            },
          },
        },
        checkpoint: {
          type: 'object',
          additionalProperties: false,
          description: 'Save the model during training (always: the last epoch, for --resume)',
          properties: {
            best: {
              type: 'boolean',
              default: true,
              description: 'Keep the best model by `monitor` in checkpoints/best',
            },
            every: {
              type: 'integer',
              minimum: 0,
              default: 0,
              description: 'Also keep checkpoints/epoch-N every N epochs (0: never)',
            },
            monitor,
            mode,
          },
        },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      default: {},
      description: 'What the run directory holds',
      properties: {
        dir: {
          type: 'string',
          default: 'runs',
          description: 'Parent of runs/<name>/<stamp>/ (relative to the working directory)',
        },
        tensorboard: { type: 'boolean', default: true, description: 'Write events.out.tfevents.* for TensorBoard' },
        plots: { type: 'boolean', default: true, description: 'Write plots/lr.svg and plots/metrics.svg' },
        saveModel: { type: 'boolean', default: true, description: 'Write model/model.json and weights' },
      },
    },
    sweep: {
      type: 'object',
      additionalProperties: false,
      description: 'A grid, random or TPE search over any keys (`exp sweep`)',
      properties: {
        method: {
          enum: ['grid', 'random', 'tpe'],
          default: 'grid',
          description:
            'grid: every combination; random: `trials` samples; tpe: `trials` proposals by a Tree-structured Parzen Estimator (Optuna)',
        },
        seed: {
          type: 'integer',
          minimum: 0,
          maximum: 2 ** 32 - 1,
          description: "Seed of the search (random points, TPE proposals); default: the experiment's seed",
        },
        parameters: {
          type: 'object',
          additionalProperties: sweepParameter,
          default: {},
          description: 'Dotted key → values (or a range for random)',
        },
        zip: {
          type: 'array',
          items: { type: 'array', items: { type: 'string' }, minItems: 2 },
          default: [],
          description: 'Groups of keys varied together, not as a product',
        },
        exclude: {
          type: 'array',
          items: { type: 'string' },
          default: [],
          description: 'Constraints like "schedule.warmup >= train.epochs": matching points are dropped',
        },
        repeats: {
          type: 'integer',
          minimum: 1,
          maximum: limits.sweepTrials,
          default: 1,
          description: 'Seeds per point; results show mean ± std',
        },
        trials: {
          type: 'integer',
          minimum: 1,
          maximum: limits.sweepTrials,
          default: 20,
          description: 'Number of samples (random), the budget of proposals (tpe)',
        },
        metric: { type: 'string', default: 'val_acc', description: 'Metric that ranks the trials' },
        goal: { enum: ['max', 'min'], default: 'max', description: 'Whether a larger metric is better' },
        parallel: { type: 'integer', minimum: 1, description: 'Trials at once (default: number of cores)' },
        pruner: {
          type: 'object',
          additionalProperties: false,
          required: ['name'],
          description:
            'Stop clearly bad trials early from their per-epoch metric: asha (asynchronous successive halving, stopping form) or median',
          properties: {
            name: {
              enum: ['asha', 'median'],
              description: 'asha: keep the top 1/η at each rung; median: Optuna-style',
            },
            metric: { type: 'string', description: 'The metric judged after each epoch (default: sweep.metric)' },
            mode: { enum: ['max', 'min'], description: 'Whether a larger metric is better (default: sweep.goal)' },
            minEpochs: {
              type: 'integer',
              minimum: 1,
              default: 1,
              description: "ASHA's grace period (first rung); the median pruner's warm-up",
            },
            reductionFactor: { type: 'number', exclusiveMinimum: 1, default: 3, description: "ASHA's η" },
            startupTrials: {
              type: 'integer',
              minimum: 0,
              default: 5,
              description: 'Median pruner: completed trials before it prunes anything',
            },
          },
        },
        queue: {
          type: 'string',
          pattern: '^rediss?://',
          description:
            'Run the trials on `exp worker` hosts through this Redis (redis://host:6379); see docs/distributed.md',
        },
      },
    },
  },
} as const;
