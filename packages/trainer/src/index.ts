// Backend and tfjs types
export { selectBackend } from './backend.ts';
export type { BackendRequest, SelectedBackend } from './backend.ts';
export type { Dataset, DatasetContext, DatasetSplit, ModelContext, TF } from './types.ts';

// Randomness
export { createRng, deriveSeed, gaussian, shuffleInPlace } from './random.ts';
export type { Rng } from './random.ts';

// Plugins
export { datasets, models } from './plugins.ts';
export { csv } from './datasets/csv.ts';
export { iris } from './datasets/iris.ts';
export { mnist } from './datasets/mnist.ts';
export { synthetic } from './datasets/synthetic.ts';
export { cnn } from './models/cnn.ts';
export { fileModel } from './models/file.ts';
export { mlp } from './models/mlp.ts';

// Models on disk
export { fileHandler, loadModel, saveModel } from './model-io.ts';

// Optimizers
export { createOptimizer, getLearningRate, setLearningRate } from './optimizers.ts';
export type { OptimizerName, OptimizerSpec } from './optimizers.ts';

// A schedule in the user's own model.fit
export { scheduleCallback } from './callback.ts';
export type { ScheduleCallbackOptions } from './callback.ts';

// Training
export { completedRun, runExperiment } from './run.ts';
export { DatasetCache } from './dataset-cache.ts';
export type { DatasetKey } from './dataset-cache.ts';
export type { BackendSelector, RunInput, RunOptions } from './run.ts';
export { trainLoop, evaluate, nonFiniteWeights } from './loop.ts';
export type { LoopOptions, LoopResult, LoopState } from './loop.ts';
export { dispatch } from './hooks.ts';
export type { BatchInfo, EpochRow, RunStart, RunStatus, RunSummary, TrainerHooks } from './hooks.ts';
export { Monitor } from './monitor.ts';
export { PlateauModifier } from './plateau.ts';
export { EventWriter } from './tfevents.ts';
export { readEvents } from './tfevents-reader.ts';
export { writeFileAtomic, writeJsonAtomic } from './files.ts';
export { lrFind } from './lr-find.ts';
export type { LrFindInput, LrFindOptions, LrFindResult } from './lr-find.ts';
