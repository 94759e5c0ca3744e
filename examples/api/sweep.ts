import { runSweep, type ExperimentInput } from '@anneal/cli';

const config: ExperimentInput = {
  name: 'iris-sweep-api',
  data: { name: 'iris', validationSplit: 0.2 },
  model: { name: 'mlp', hidden: [16] },
  optimizer: { name: 'adam', learningRate: 0.02 },
  schedule: { name: 'cosine-warmup', warmup: 1, epsilon: 1e-4 },
  train: { epochs: 4, batchSize: 16, backend: 'cpu' },
  output: { plots: false },
  sweep: { parameters: { 'schedule.warmup': [0, 2] }, metric: 'val_acc', goal: 'max' },
};
const result = await runSweep(config, { out: 'runs/iris-sweep-api', parallel: 2, plots: false });
console.log(result.exitCode, result.dir);
for (const trial of result.ranked) console.log(trial.id, trial.point, trial.status, trial.best);
