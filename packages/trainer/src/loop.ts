import type { ExperimentConfig, RunPlan } from '@anneal/core';
import type { LayersModel, Optimizer, Scalar, Tensor } from '@tensorflow/tfjs';
import { dispatch, type EpochRow, type TrainerHooks } from './hooks.ts';
import { bestMonitor, Monitor, metricOf } from './monitor.ts';
import { randomState, restoreRandomState } from './models/seeded-layers.ts';
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
  /** Positions of the model's seeded random streams (dropout masks), so a resume continues them. */
  random?: number[];
}

export interface LoopResult {
  status: 'completed' | 'diverged' | 'interrupted' | 'pruned';
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
  /** Run length and schedule, computed once by validation; applied here, never rebuilt. */
  plan: RunPlan;
  /** Batches an epoch trains on: the plan's, checked against the data by the caller. */
  stepsPerEpoch: number;
  model: LayersModel;
  optimizer: Optimizer;
  data: Dataset;
  hooks: TrainerHooks[];
  signal?: AbortSignal;
  state?: LoopState;
  /** Called after every epoch with the state to checkpoint (resume continues from it). */
  checkpoint?(state: LoopState, improved: boolean): Promise<void>;
  /** Asked after every epoch (but the last) whether to stop here: a sweep's pruner. */
  prune?(row: EpochRow): Promise<boolean>;
}

const EVAL_BATCH = 1024;

/**
 * The training loop. Per batch: rate = schedule(t) × plateau factor, one optimizer step on the
 * mean categorical cross-entropy, a finite-loss check. Per epoch: validation, hooks, early
 * stopping, plateau, checkpoint. Shuffling is seeded per epoch (not per process) and the
 * dropout streams are checkpointed, so a resumed run sees the same batches and masks as an
 * uninterrupted one. Messages count epochs from 1 (what people read); `state.epoch` and the
 * rows count from 0 (what files hold, the schedule's t).
 */
export async function trainLoop(o: LoopOptions): Promise<LoopResult> {
  const { tf, config, model, optimizer, data } = o;
  const { schedule, unit, epochs } = o.plan;
  const { batchSize, shuffle } = config.train;
  const n = data.train.size;
  const batches = o.stepsPerEpoch;
  const state: LoopState = o.state ?? { epoch: 0, step: 0, rows: [] };
  restoreRandomState(model, state.random);
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
  let momentum: number | undefined;
  const setRate = (t: number) => {
    const lr = plateau ? plateau.apply(schedule.at(t)) : schedule.at(t);
    if (lr !== lastLr) setLearningRate(optimizer, lr);
    lastLr = lr;
    // cycle_momentum: the momentum moves with the rate, set at the same step (as PyTorch does),
    // and is logged beside it.
    if (schedule.momentum) {
      momentum = schedule.momentum(t);
      setMomentum(tf, optimizer, config.optimizer.name as OptimizerName, momentum);
    }
    return lr;
  };
  const withMomentum = () => (momentum === undefined ? {} : { momentum });

  for (; state.epoch < epochs; ) {
    const epoch = state.epoch;
    const started = performance.now();
    const order = Int32Array.from({ length: n }, (_, i) => i);
    if (shuffle) shuffleInPlace(order, createRng(deriveSeed(config.seed, `epoch/${epoch}`)));
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
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
          message: `loss became ${loss} in epoch ${epoch + 1}/${epochs}, step ${state.step - 1} (lr ${lr})`,
          stoppedEarly: false,
          state,
          examples,
          trainSeconds,
        };
      }
      lossSum += loss * idx.length;
      accSum += acc * idx.length;
      seen += idx.length;
      await dispatch(o.hooks, 'onBatchEnd', {
        epoch,
        batch: b,
        batches,
        step: state.step - 1,
        lr,
        ...withMomentum(),
        loss,
      });
      // Let the event loop run between batches, so Ctrl-C (and a sweep worker's lost parent) is
      // noticed after this batch rather than at the end of the epoch.
      await new Promise((resolve) => setImmediate(resolve));
      if (o.signal?.aborted) {
        trainSeconds += (performance.now() - started) / 1000;
        return {
          status: 'interrupted',
          message: `interrupted during epoch ${epoch + 1}/${epochs} after step ${state.step - 1}`,
          stoppedEarly: false,
          state,
          examples,
          trainSeconds,
        };
      }
    }
    // tfjs clips probabilities, so the loss can stay finite while the weights are NaN; one fused
    // reduction an epoch catches that for the cost of a single read-back.
    const broken = nonFiniteWeights(tf, model);
    if (broken) {
      trainSeconds += (performance.now() - started) / 1000;
      return {
        status: 'diverged',
        message: `the weights of layer \`${broken}\` became NaN or infinite in epoch ${epoch + 1}/${epochs} (lr ${lr})`,
        stoppedEarly: false,
        state,
        examples,
        trainSeconds,
      };
    }
    const val = data.val ? evaluate(tf, model, data.val) : undefined;
    const seconds = (performance.now() - started) / 1000;
    trainSeconds += seconds;
    const row: EpochRow = {
      epoch,
      step: state.step,
      lr,
      ...withMomentum(),
      loss: lossSum / seen,
      acc: accSum / seen,
      val_loss: val?.[0] ?? null,
      val_acc: val?.[1] ?? null,
      seconds,
    };
    state.rows.push(row);
    state.epoch++;
    if (val && !val.every(Number.isFinite)) {
      return {
        status: 'diverged',
        message: `validation loss became ${val[0]} in epoch ${epoch + 1}/${epochs}`,
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
    state.random = randomState(model);
    await o.checkpoint?.(state, improved);
    if (stop) return { status: 'completed', stoppedEarly: true, state, examples, trainSeconds };
    if (o.prune && state.epoch < epochs && (await o.prune(row)))
      return {
        status: 'pruned',
        message: `stopped by the sweep's pruner after epoch ${epoch + 1}/${epochs}`,
        stoppedEarly: false,
        state,
        examples,
        trainSeconds,
      };
    if (o.signal?.aborted)
      return {
        status: 'interrupted',
        message: `interrupted after epoch ${epoch + 1}/${epochs}`,
        stoppedEarly: false,
        state,
        examples,
        trainSeconds,
      };
  }
  return { status: 'completed', stoppedEarly: false, state, examples, trainSeconds };
}

/**
 * The first layer with a NaN or infinite weight, or undefined. x·0 is 0 for every finite x and
 * NaN otherwise, so one sum over all weights answers for the whole model in one read-back.
 */
export function nonFiniteWeights(tf: TF, model: LayersModel): string | undefined {
  const weights = model.trainableWeights;
  if (weights.length === 0) return undefined;
  const total = tf.tidy(() => tf.addN(weights.map((w) => w.read().mul(0).sum())).dataSync()[0]);
  if (total === 0) return undefined;
  for (const layer of model.layers) {
    const bad = tf.tidy(() => layer.trainableWeights.some((w) => w.read().mul(0).sum().dataSync()[0] !== 0));
    if (bad) return layer.name;
  }
  return 'unknown';
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
