import { AnnealError, type Schedule, type ScheduleUnit } from '@anneal/core';
import type { CustomCallbackArgs, Logs, Optimizer } from '@tensorflow/tfjs';
import { getLearningRate, type OptimizerName, setLearningRate, setMomentum } from './optimizers.ts';
import { EventWriter } from './tfevents.ts';
import type { TF } from './types.ts';

/** tfjs's class names (`getClassName()`) of the optimizers, by anneal's names. */
const optimizerNames: Record<string, OptimizerName> = {
  SGD: 'sgd',
  Momentum: 'momentum',
  Adam: 'adam',
  Adamax: 'adamax',
  RMSProp: 'rmsprop',
  Adagrad: 'adagrad',
  Adadelta: 'adadelta',
};

export interface ScheduleCallbackOptions {
  /** The model being trained: its compiled optimizer is read at every update (or give `optimizer`). */
  model?: { optimizer: Optimizer };
  optimizer?: Optimizer;
  /**
   * What `t` counts: `epoch` sets the rate before each epoch (Keras's LearningRateScheduler),
   * `step` before each batch. Default: the unit the schedule was built with (createSchedule), else `epoch`.
   */
  unit?: ScheduleUnit;
  /** `t` of the first batch, when continuing a training (`initialEpoch × stepsPerEpoch`); default 0. */
  initialStep?: number;
  /**
   * Write the rate as TensorBoard scalars into this directory: `learning_rate` at every step (step
   * unit) and `epoch_learning_rate` at every epoch, the tags of `exp run` and Keras's TensorBoard.
   */
  tensorboard?: string;
  /** Put the rate in `logs.lr` at the end of each epoch, so `History` records it (Keras does); default true. */
  logs?: boolean;
  /**
   * Your tfjs namespace (the one the model was built with). Needed only for a schedule that cycles
   * the momentum (cycleMomentum): the momentum of tfjs's Momentum optimizer is a tensor, replaced
   * at every update.
   */
  tf?: TF;
}

/**
 * A `model.fit` / `model.fitDataset` callback that sets the optimizer's learning rate from a
 * schedule (tfjs has no schedules of its own). Pass the returned object in `callbacks`; it
 * works with every tfjs optimizer through `setLearningRate`. A plain callback object rather than
 * a `tf.Callback` subclass keeps this module free of tfjs at import time, and fit wraps it in
 * its own `CustomCallback`; so the optimizer comes from `model` or `optimizer` here.
 */
export function scheduleCallback(
  schedule: Schedule | ((t: number) => number),
  options: ScheduleCallbackOptions,
): CustomCallbackArgs {
  const momentumAt = typeof schedule === 'function' ? undefined : schedule.momentum?.bind(schedule);
  if (momentumAt && !options.tf)
    throw new AnnealError('USAGE', 'scheduleCallback: this schedule cycles the momentum, which needs your tfjs', {
      hint: 'pass { tf } (the tfjs namespace your model uses), or build the schedule with cycleMomentum: false',
    });
  const at = typeof schedule === 'function' ? schedule : (t: number) => schedule.at(t);
  const unit = options.unit ?? (schedule as { unit?: ScheduleUnit }).unit ?? 'epoch';
  const optimizer = (): Optimizer => {
    const found = options.optimizer ?? options.model?.optimizer;
    if (!found)
      throw new AnnealError('USAGE', 'scheduleCallback: give { model } (compiled before fit) or { optimizer }');
    return found;
  };
  let step = options.initialStep ?? 0;
  let writer: EventWriter | undefined;
  let momentum: number | undefined;
  const apply = (t: number) => {
    const target = optimizer();
    setLearningRate(target, at(t));
    if (!momentumAt) return;
    // cycle_momentum: the momentum moves with the rate, set at the same t (as exp run does).
    const name = optimizerNames[target.getClassName()];
    if (!name)
      throw new AnnealError(
        'USAGE',
        `scheduleCallback: cannot cycle the momentum of a ${target.getClassName()} optimizer`,
      );
    momentum = momentumAt(t);
    setMomentum(options.tf!, target, name, momentum);
  };

  return {
    onTrainBegin: async () => {
      if (options.tensorboard) writer = await EventWriter.open(options.tensorboard);
    },
    onEpochBegin: async (epoch: number) => {
      if (unit === 'epoch') apply(epoch);
    },
    onBatchBegin: async () => {
      if (unit === 'step') apply(step);
    },
    onBatchEnd: async () => {
      if (unit === 'step') {
        writer?.scalar('learning_rate', getLearningRate(optimizer()), step);
        if (momentum !== undefined) writer?.scalar('momentum', momentum, step);
      }
      step++;
    },
    onEpochEnd: async (epoch: number, logs?: Logs) => {
      // The rate in force at the end of the epoch, as Keras's LearningRateScheduler reports it.
      const lr = getLearningRate(optimizer());
      if (logs && options.logs !== false) {
        logs.lr = lr;
        if (momentum !== undefined) logs.momentum = momentum;
      }
      if (writer) {
        writer.scalar('epoch_learning_rate', lr, epoch);
        if (momentum !== undefined) writer.scalar('epoch_momentum', momentum, epoch);
        await writer.flush();
      }
    },
    onTrainEnd: async () => {
      await writer?.close();
      writer = undefined;
    },
  };
}
