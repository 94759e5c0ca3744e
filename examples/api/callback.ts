import * as tf from '@tensorflow/tfjs';
import { createSchedule } from '@anneal/core';
import { schedules } from '@anneal/schedule-cosine-warmup';
import { scheduleCallback } from '@anneal/trainer';

// Any tfjs model and data: here y = 2x + 1 with noise, batches of 16, 64 examples.
const xs = tf.randomUniform([64, 1]);
const ys = xs
  .mul(2)
  .add(1)
  .add(tf.randomNormal([64, 1], 0, 0.05));
const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
model.compile({ optimizer: tf.train.adam(0.1), loss: 'meanSquaredError' });

const schedule = createSchedule(
  schedules,
  { name: 'cosine-warmup', warmup: '2ep', epsilon: 1e-3 },
  { base: 0.1, total: '20ep', unit: 'step', stepsPerEpoch: 4 },
);
const history = await model.fit(xs, ys, {
  epochs: 20,
  batchSize: 16,
  verbose: 0,
  callbacks: [scheduleCallback(schedule, { model, tensorboard: 'logs/callback' })],
});
console.log('lr by epoch', history.history.lr); // the rate at the end of each epoch, as Keras logs it
console.log('final loss', history.history.loss.at(-1));
