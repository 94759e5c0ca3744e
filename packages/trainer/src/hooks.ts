import type { ExperimentConfig } from '@anneal/core';
import type { LayersModel } from '@tensorflow/tfjs';
import type { Provenance } from './provenance.ts';

/**
 * One row of metrics.jsonl / metrics.csv. In files `epoch` counts from 0 like the schedule's
 * `t`; what people read (progress, messages) counts from 1, as Keras prints `Epoch 1/12`.
 */
export interface EpochRow {
  epoch: number;
  /** Batches done so far in the whole run. */
  step: number;
  /** The rate of the epoch's last batch (per-step rates are in lr.csv). */
  lr: number;
  /** The momentum (or Adam's beta1) of the epoch's last batch, when the schedule cycles it (cycleMomentum). */
  momentum?: number;
  loss: number;
  acc: number;
  val_loss: number | null;
  val_acc: number | null;
  seconds: number;
}

export interface BatchInfo {
  epoch: number;
  batch: number;
  batches: number;
  /** Global step of this batch (0-based), continuing across epochs. */
  step: number;
  lr: number;
  /** The momentum set for this batch, when the schedule cycles it (cycleMomentum). */
  momentum?: number;
  loss: number;
}

/** `pruned`: a sweep's pruner stopped the trial after an epoch (its metrics so far are kept). */
export type RunStatus = 'running' | 'completed' | 'diverged' | 'interrupted' | 'failed' | 'pruned';

export interface RunStart {
  config: ExperimentConfig;
  dir: string;
  model: LayersModel;
  backend: string;
  backendReason: string;
  /** The backend choice in one plain line, e.g. "tfjs-node not installed; using wasm (SIMD, 1 thread)". */
  backendNote: string;
  epochs: number;
  stepsPerEpoch: number;
  /** Epochs already done (non-zero when resuming). */
  startEpoch: number;
  /** When resuming: the checkpoint used (relative to the run directory) and any passed over as damaged. */
  resumedFrom?: { checkpoint: string; damaged: string[] };
  trainExamples: number;
  valExamples: number;
}

export interface RunSummary {
  /** The run directory's layout version (core's RUN_FORMAT); `--resume` refuses a newer one. */
  formatVersion: number;
  status: Exclude<RunStatus, 'running'>;
  message?: string;
  name: string;
  dir: string;
  seed: number;
  backend: string;
  backendReason: string;
  versions: Record<string, string>;
  provenance?: Provenance;
  epochs: number;
  steps: number;
  stoppedEarly: boolean;
  final: EpochRow | null;
  best: { monitor: string; value: number; epoch: number } | null;
  seconds: number;
  samplesPerSecond: number;
  startedAt: string;
  finishedAt: string;
}

/**
 * What loggers, progress bars and plots implement (STYLE.md #10): optional async members,
 * called in order. The trainer knows none of them by name.
 */
export interface TrainerHooks {
  onRunStart?(run: RunStart): void | Promise<void>;
  onBatchEnd?(batch: BatchInfo): void | Promise<void>;
  onEpochEnd?(row: EpochRow, model: LayersModel): void | Promise<void>;
  onRunEnd?(summary: RunSummary, model: LayersModel | undefined): void | Promise<void>;
}

type HookName = keyof TrainerHooks;

/** Call one hook on every listener in order. */
export async function dispatch<K extends HookName>(
  hooks: TrainerHooks[],
  name: K,
  ...args: Parameters<NonNullable<TrainerHooks[K]>>
): Promise<void> {
  for (const hook of hooks) {
    const fn = hook[name] as ((...a: unknown[]) => unknown) | undefined;
    if (fn) await fn.apply(hook, args);
  }
}
