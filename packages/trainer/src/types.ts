import type { PluginContext } from '@anneal/core';
import type { Tensor } from '@tensorflow/tfjs';

/** The tfjs namespace. Type-only: plugins receive it as `ctx.tf`, so importing them never loads tfjs. */
export type TF = typeof import('@tensorflow/tfjs');

export interface DatasetSplit {
  /** Features; shape [size, ...inputShape]. */
  x: Tensor;
  /** One-hot labels, float32, shape [size, numClasses]. */
  y: Tensor;
  size: number;
}

export interface Dataset {
  train: DatasetSplit;
  val?: DatasetSplit;
  /** Where `val` came from: a dataset's own test set, or a hold-out carved from train. */
  valSource?: 'test' | 'split';
  inputShape: number[];
  numClasses: number;
  classNames?: string[];
  /** Frees every tensor of every split. */
  dispose(): void;
}

export type DatasetContext = PluginContext & { tf: TF };

export type ModelContext = PluginContext & { tf: TF; inputShape: number[]; numClasses: number };
