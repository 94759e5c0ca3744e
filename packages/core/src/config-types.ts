import type { ScheduleUnit } from './schedule.ts';

export interface PluginSection {
  name: string;
  [option: string]: unknown;
}

export type MonitorMode = 'auto' | 'min' | 'max';

export interface ReduceOnPlateauConfig {
  monitor: string;
  mode: MonitorMode;
  factor: number;
  patience: number;
  minDelta: number;
  cooldown: number;
  minLr: number;
  /** Keras's or PyTorch's counting of bad epochs (see the schema). Absent: keras. */
  rules?: 'keras' | 'pytorch';
  /** PyTorch threshold_mode; absent: abs (Keras min_delta). */
  thresholdMode?: 'abs' | 'rel';
  /** PyTorch eps; absent: 1e-8. */
  eps?: number;
}

export interface ScheduleSection extends PluginSection {
  unit: ScheduleUnit;
  reduceOnPlateau?: ReduceOnPlateauConfig;
}

export type SweepParameter = unknown[] | { min: number; max: number; log: boolean; int: boolean };

export interface SweepConfig {
  method: 'grid' | 'random' | 'tpe';
  /** Seeds the search itself (random points, TPE proposals); default: the experiment's `seed`. */
  seed?: number;
  parameters: Record<string, SweepParameter>;
  zip: string[][];
  exclude: string[];
  repeats: number;
  trials: number;
  metric: string;
  goal: 'max' | 'min';
  parallel?: number;
  /** A Redis URL: the trials go to `exp worker` processes through a BullMQ queue. */
  queue?: string;
  /** Stops clearly bad trials after an epoch (packages/sweep/src/pruners.ts). */
  pruner?: {
    name: 'asha' | 'median';
    metric?: string;
    mode?: 'max' | 'min';
    minEpochs: number;
    reductionFactor: number;
    startupTrials: number;
  };
}

/** A validated experiment, defaults filled in (mirrors experiment-schema.ts). */
export interface ExperimentConfig {
  name: string;
  seed: number;
  plugins: string[];
  data?: PluginSection;
  model?: PluginSection;
  optimizer: { name: string; learningRate: number; [option: string]: unknown };
  schedule: ScheduleSection;
  train: {
    epochs: number;
    batchSize: number;
    shuffle: boolean;
    backend: 'auto' | 'tensorflow' | 'wasm' | 'cpu';
    stepsPerEpoch?: number;
    earlyStopping?: { monitor: string; mode: MonitorMode; patience: number; minDelta: number; restoreBest: boolean };
    checkpoint?: { best: boolean; every: number; monitor: string; mode: MonitorMode };
  };
  output: { dir: string; tensorboard: boolean; plots: boolean; saveModel: boolean };
  sweep?: SweepConfig;
}
