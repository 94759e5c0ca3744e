import type { ExperimentConfig, Schedule } from '@anneal/core';
import type { LayersModel, Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import { dispatch, type EpochRow, type TrainerHooks } from './hooks.ts';
import { bestMonitor, Monitor, metricOf } from './monitor.ts';
import { type OptimizerName, setLearningRate, setMomentum } from './optimizers.ts';
import { PlateauModifier } from './plateau.ts';
import { createRng, deriveSeed, shuffleInPlace } from './random.ts';
import type { Dataset, DatasetSplit, TF } from './types.ts';

export interface LoopState {
  /** Next epoch to run. */
  epoch: number;
  /** Batches done. */
  step: number;
  rows: EpochRow[];
  plateau?: ReturnType<PlateauModifier['state']>;
  early?: { best: number; bestEpoch: number; wait: number };
}

export interface LoopResult {
  status: 'completed' | 'diverged' | 'interrupted';
  message?: string;
  stoppedEarly: boolean;
  state: LoopState;
  /** Examples trained on in this process (for samples/s). */
  examples: number;
  trainSeconds: number;
}

export interface LoopOptions {
  tf: TF;
  config: ExperimentConfig;
  schedule: Schedule;
  model: LayersModel;
  optimizer: Optimizer;
  data: Dataset;
  hooks: TrainerHooks[];
  signal?: AbortSignal;
  state?: LoopState;
  /** Called after every epoch with the state to checkpoint (resume continues from it). */
  checkpoint?(state: LoopState, improved: boolean): Promise<void>;
}

const EVAL_BATCH = 1024;

/**
 * The training loop. Per batch: rate = schedule(t) × plateau factor, one optimizer step on the
 * mean categorical cross-entropy, a finite-loss check. Per epoch: validation, hooks, early
 * stopping, plateau, checkpoint. Shuffling is seeded per epoch (not per process), so a resumed
 * run sees the same batches as an uninterrupted one.
 */
export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  const { tf, config, schedule, model, optimizer, data } = o;
  const { epochs, batchSize, shuffle } = config.train;
  const unit = config.schedule.unit;
  const n = data.train.size;
  const batches = Math.ceil(n / batchSize);
  const state: LoopState = o.state ?? { epoch: 0, step: 0, rows: [] };
  const plateau = config.schedule.reduceOnPlateau ? new PlateauModifier(config.schedule.reduceOnPlateau) : undefined;
  if (plateau && state.plateau) plateau.restore(state.plateau);
  const es = config.train.earlyStopping;
  const early = es ? new Monitor(es.monitor, es.mode, es.minDelta) : undefined;
  let wait = state.early?.wait ?? 0;
  if (early && state.early) Object.assign(early, { best: state.early.best, bestEpoch: state.early.bestEpoch });
  const best = config.train.checkpoint?.best === false ? undefined : bestMonitor(config);
  for (const row of state.rows) best?.update(row[best.metric as keyof EpochRow] as number, row.epoch);

  let examples = 0;
  let trainSeconds = 0;
  let lastLr = Number.NaN;
  const setRate = (t: number) => {
    const lr = plateau ? plateau.apply(schedule.at(t)) : schedule.at(t);
    if (lr !== lastLr) setLearningRate(optimizer, lr);
    lastLr = lr;
    // cycle_momentum: the momentum moves with the rate, set at the same step (as PyTorch does).
    if (schedule.momentum) setMomentum(tf, optimizer, config.optimizer.name as OptimizerName, schedule.momentum(t));
    return lr;
  };

  for (; state.epoch < epochs; ) {
    const epoch = state.epoch;
    const started = performance.now();
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (shuffle) shuffleInPlace(order, createRng(deriveSeed(config.seed, `epoch/${epoch}`)));
    let lossSum = 0;
    let accSum = 0;
    let lr = unit === 'epoch' ? setRate(epoch) : Number.NaN;
    for (let b = 0; b < batches; b++) {
      if (unit === 'step') lr = setRate(state.step);
      const idx = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
      const [loss, acc] = trainBatch(tf, model, optimizer, data.train, idx);
      state.step++;
      examples += idx.length;
      if (!Number.isFinite(loss)) {
        trainSeconds += (performance.now() - started) / 1000;
        return {
          status: 'diverged',
          message: `loss became ${loss} at epoch ${epoch}, step ${state.step - 1} (lr ${lr})`,
          stoppedEarly: false,
          state,
          examples,
          trainSeconds,
        };
      }
      lossSum += loss * idx.length;
      accSum += acc * idx.length;
      await dispatch(o.hooks, 'onBatchEnd', { epoch, batch: b, batches, step: state.step - 1, lr, loss });
      // Let the event loop run between batches, so Ctrl-C (and a sweep worker's lost parent) is
      // noticed after this batch rather than at the end of the epoch.
      await new Promise((resolve) => setImmediate(resolve));
      if (o.signal?.aborted) {
        trainSeconds += (performance.now() - started) / 1000;
        return {
          status: 'interrupted',
          message: `interrupted during epoch ${epoch} after step ${state.step - 1}`,
          stoppedEarly: false,
          state,
          examples,
          trainSeconds,
        };
      }
    }
    const val = data.val ? evaluate(tf, model, data.val) : undefined;
    const seconds = (performance.now() - started) / 1000;
    trainSeconds += seconds;
    const row: EpochRow = {
      epoch,
      step: state.step,
      lr,
      loss: lossSum / n,
      acc: accSum / n,
      val_loss: val?.[0] ?? null,
      val_acc: val?.[1] ?? null,
      seconds,
    };
    state.rows.push(row);
    state.epoch++;
    if (val && !val.every(Number.isFinite)) {
      return {
        status: 'diverged',
        message: `validation loss became ${val[0]} at epoch ${epoch}`,
        stoppedEarly: false,
        state,
        examples,
        trainSeconds,
      };
    }
    await dispatch(o.hooks, 'onEpochEnd', row, model);

    if (plateau) {
      plateau.epochEnd(metricOf(row as never, config.schedule.reduceOnPlateau!.monitor), epoch, lr);
      state.plateau = plateau.state();
    }
    let stop = false;
    if (early && es) {
      if (early.update(metricOf(row as never, es.monitor), epoch)) wait = 0;
      else stop = ++wait >= es.patience; // Keras: stop once `patience` epochs in a row did not improve
      state.early = { best: early.best, bestEpoch: early.bestEpoch, wait };
    }
    const improved = best ? best.update(metricOf(row as never, best.metric), epoch) : false;
    await o.checkpoint?.(state, improved);
    if (stop) return { status: 'completed', stoppedEarly: true, state, examples, trainSeconds };
    if (o.signal?.aborted)
      return {
        status: 'interrupted',
        message: `interrupted after epoch ${epoch}`,
        stoppedEarly: false,
        state,
        examples,
        trainSeconds,
      };
  }
  return { status: 'completed', stoppedEarly: false, state, examples, trainSeconds };
}

/** One optimizer step on a batch; returns [loss, accuracy]. Every tensor made here is freed. */
export function trainBatch(
  tf: TF,
  model: LayersModel,
  optimizer: Optimizer,
  split: DatasetSplit,
  idx: Int32Array,
): [number, number] {
  let acc: Tensor | undefined;
  const loss = tf.tidy(() => {
    const indices = tf.tensor1d(idx, 'int32');
    const x = tf.gather(split.x, indices);
    const y = tf.gather(split.y, indices);
    return optimizer.minimize(() => {
      const pred = model.apply(x, { training: true }) as Tensor;
      acc = tf.keep(tf.metrics.categoricalAccuracy(y, pred).mean());
      return tf.metrics.categoricalCrossentropy(y, pred).mean() as Scalar;
    }, true) as Scalar;
  });
  const values: [number, number] = [loss.dataSync()[0], acc!.dataSync()[0]];
  loss.dispose();
  acc!.dispose();
  return values;
}

/** Mean loss and accuracy over a split, in batches so memory stays bounded. */
export function evaluate(tf: TF, model: LayersModel, split: DatasetSplit): [number, number] {
  let loss = 0;
  let acc = 0;
  for (let start = 0; start < split.size; start += EVAL_BATCH) {
    const size = Math.min(EVAL_BATCH, split.size - start);
    const [l, a] = tf.tidy(() => {
      const x = split.x.slice(start, size);
      const y = split.y.slice(start, size);
      const pred = model.predict(x, { batchSize: size }) as Tensor; // predict's default batch of 32 would split the chunk
      return [
        tf.metrics.categoricalCrossentropy(y, pred).sum().dataSync()[0],
        tf.metrics.categoricalAccuracy(y, pred).sum().dataSync()[0],
      ];
    });
    loss += l;
    acc += a;
  }
  return [loss / split.size, acc / split.size];
}
