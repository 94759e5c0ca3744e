import { runExperiment, type ExperimentInput } from '@anneal/cli';

// The object form of an experiment file; `exp schema` has every key.
const config: ExperimentInput = {
  name: 'iris-api',
  seed: 1,
  data: { name: 'iris', validationSplit: 0.2 },
  model: { name: 'mlp', hidden: [16] },
  optimizer: { name: 'adam', learningRate: 0.02 },
  schedule: { name: 'cosine-warmup', warmup: 2, epsilon: 1e-4 },
  train: { epochs: 8, batchSize: 16, backend: 'cpu' },
  output: { dir: 'runs', plots: false },
};
const summary = await runExperiment(config, { overrides: ['train.epochs=6'] });
console.log(summary.status, summary.dir, summary.final?.val_acc);
