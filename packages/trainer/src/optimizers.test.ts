import { describe, expect, it } from 'vitest';
import type { Variable } from '@tensorflow/tfjs';
import { selectBackend } from './backend.ts';
import { createOptimizer, getLearningRate, setLearningRate, setMomentum, type OptimizerName } from './optimizers.ts';

const { tf } = await selectBackend('cpu');
const names: OptimizerName[] = ['sgd', 'momentum', 'adam', 'adamax', 'rmsprop', 'adagrad', 'adadelta'];

// Fixed data for a 3 → 2 dense layer, y = x·W + b, mean squared error.
const xs = [
  [1, 2, -1],
  [0.5, -1, 2],
  [-1, 0, 1],
  [2, 1, 0],
];
const ys = [
  [1, 0],
  [0, 1],
  [1, 1],
  [0, -1],
];
const w0 = [
  [0.1, -0.2],
  [0.3, 0.05],
  [-0.4, 0.2],
];
const b0 = [0.05, -0.1];

/** A fresh dense layer's variables, starting from `start` (zeros make the first update exactly the step). */
function dense(start: 'fixed' | 'zero') {
  return {
    w: tf.variable(start === 'fixed' ? tf.tensor2d(w0) : tf.zeros([3, 2])),
    b: tf.variable(start === 'fixed' ? tf.tensor1d(b0) : tf.zeros([2])),
  };
}

function step(optimizer: ReturnType<typeof createOptimizer>, vars: { w: Variable; b: Variable }): void {
  const x = tf.tensor2d(xs);
  const y = tf.tensor2d(ys);
  optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(x, vars.w), vars.b)) as never, false, [
    vars.w,
    vars.b,
  ]);
  tf.dispose([x, y]);
}

const flat = (vars: { w: Variable; b: Variable }) => [...vars.w.dataSync(), ...vars.b.dataSync()];

function dispose(optimizer: ReturnType<typeof createOptimizer>, vars: { w: Variable; b: Variable }) {
  optimizer.dispose();
  tf.dispose([vars.w, vars.b]);
}

/** The first update from zero weights with `lr`, optionally set through setLearningRate after construction. */
function firstUpdate(name: OptimizerName, lr: number, setTo?: number): number[] {
  const optimizer = createOptimizer(tf, { name, learningRate: lr });
  if (setTo !== undefined) setLearningRate(optimizer, setTo);
  const vars = dense('zero');
  step(optimizer, vars);
  const update = flat(vars);
  dispose(optimizer, vars);
  return update;
}

describe.each(names)('%s', (name) => {
  it('leaves the weights unchanged at rate 0', () => {
    const optimizer = createOptimizer(tf, { name, learningRate: 0 });
    const vars = dense('fixed');
    const before = flat(vars);
    step(optimizer, vars);
    step(optimizer, vars);
    expect(flat(vars)).toEqual(before);
    dispose(optimizer, vars);
  });

  it('trains at a positive rate: the loss falls', () => {
    const optimizer = createOptimizer(tf, { name, learningRate: 0.05 });
    const vars = dense('fixed');
    const loss = () =>
      tf.tidy(
        () =>
          tf.losses.meanSquaredError(tf.tensor2d(ys), tf.add(tf.matMul(tf.tensor2d(xs), vars.w), vars.b)).dataSync()[0],
      );
    const start = loss();
    for (let i = 0; i < 20; i++) step(optimizer, vars);
    expect(loss()).toBeLessThan(start);
    dispose(optimizer, vars);
  });

  it('first update is linear in the rate: 2r gives twice the step of r', () => {
    const r = firstUpdate(name, 0.01);
    const r2 = firstUpdate(name, 0.02);
    expect(r.some((v) => Math.abs(v) > 1e-4)).toBe(true);
    r.forEach((v, i) => expect(r2[i]).toBeCloseTo(2 * v, 6));
  });

  it('uses a rate set with setLearningRate, even before the first step', () => {
    const direct = firstUpdate(name, 0.02);
    const viaSetter = firstUpdate(name, 0.01, 0.02);
    viaSetter.forEach((v, i) => expect(v).toBeCloseTo(direct[i], 7));
    expect(firstUpdate(name, 0.01, 0).every((v) => v === 0)).toBe(true);
  });

  it('stops changing the weights once the rate is set to 0, and resumes when it is raised', () => {
    const optimizer = createOptimizer(tf, { name, learningRate: 0.05 });
    const vars = dense('fixed');
    const start = flat(vars);
    step(optimizer, vars);
    const afterOne = flat(vars);
    expect(afterOne).not.toEqual(start);
    setLearningRate(optimizer, 0);
    expect(getLearningRate(optimizer)).toBe(0);
    step(optimizer, vars);
    step(optimizer, vars);
    expect(flat(vars)).toEqual(afterOne);
    setLearningRate(optimizer, 0.05);
    step(optimizer, vars);
    expect(flat(vars)).not.toEqual(afterOne);
    dispose(optimizer, vars);
  });

  it('does not leak tensors across repeated setLearningRate calls', () => {
    const optimizer = createOptimizer(tf, { name, learningRate: 0.1 });
    const vars = dense('fixed');
    step(optimizer, vars);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 50; i++) {
      setLearningRate(optimizer, 0.1 / (i + 1));
      step(optimizer, vars);
    }
    expect(tf.memory().numTensors).toBe(before);
    dispose(optimizer, vars);
  });
});

describe('sgd', () => {
  it('takes exactly lr × gradient as its first step, doubling exactly with 2r', () => {
    // From zero weights the gradient of the MSE above is −2/(N·2)·Σ xᵢᵀ yᵢ (here N·2 = 8 outputs).
    const grad = [0, 1].map((j) => [0, 1, 2].map((k) => -(2 / 8) * xs.reduce((s, x, n) => s + x[k] * ys[n][j], 0)));
    const r = firstUpdate('sgd', 0.25);
    const r2 = firstUpdate('sgd', 0.5);
    // w is row-major [3, 2]: entry (k, j) at k*2 + j.
    for (let k = 0; k < 3; k++) for (let j = 0; j < 2; j++) expect(r[k * 2 + j]).toBeCloseTo(-0.25 * grad[j][k], 6);
    r.forEach((v, i) => expect(r2[i]).toBe(2 * v));
  });
});

describe('with a layers model and trainOnBatch', () => {
  it.each(['sgd', 'adam'] as const)('%s: setLearningRate(0) freezes a compiled model', async (name) => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 2, inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      ],
    });
    const optimizer = createOptimizer(tf, { name, learningRate: 0.1 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(ys);
    const weights = () => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    await model.trainOnBatch(x, y);
    const afterOne = weights();
    setLearningRate(optimizer, 0);
    await model.trainOnBatch(x, y);
    expect(weights()).toEqual(afterOne);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
});

describe('createOptimizer', () => {
  it('fills options from the schema defaults and passes given ones through', () => {
    const adam = createOptimizer(tf, { name: 'adam', learningRate: 0.001 }).getConfig();
    expect(adam).toMatchObject({ learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
    const momentum = createOptimizer(tf, { name: 'momentum', learningRate: 0.1, nesterov: true }).getConfig();
    expect(momentum).toMatchObject({ momentum: 0.9, useNesterov: true });
    const rms = createOptimizer(tf, { name: 'rmsprop', learningRate: 0.1, centered: true }).getConfig();
    expect(rms).toMatchObject({ decay: 0.9, momentum: 0, centered: true });
  });

  it('rejects unknown names and bad rates', () => {
    expect(() => createOptimizer(tf, { name: 'lion' as never, learningRate: 1 })).toThrow(/Unknown optimizer 'lion'/);
    expect(() => setLearningRate(createOptimizer(tf, { name: 'sgd', learningRate: 1 }), NaN)).toThrow(/finite/);
  });
});

describe('setMomentum (cycle_momentum)', () => {
  /** Weights after `steps` steps from the fixed start, with `beforeStep(k)` called before step k. */
  function train(
    name: OptimizerName,
    options: Record<string, number>,
    steps: number,
    beforeStep: (o: ReturnType<typeof createOptimizer>, k: number) => void = () => {},
  ): number[] {
    const optimizer = createOptimizer(tf, { name, learningRate: 0.05, ...options });
    const vars = dense('fixed');
    for (let k = 0; k < steps; k++) {
      beforeStep(optimizer, k);
      step(optimizer, vars);
    }
    const out = flat(vars);
    dispose(optimizer, vars);
    return out;
  }
  const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));

  it.each([
    ['momentum', 'momentum'],
    ['rmsprop', 'momentum'],
  ] as const)('%s: a momentum set after the first step acts like one given at construction', (name, key) => {
    // The first step does not depend on the momentum (the accumulators start at 0).
    const set = train(name, { [key]: 0.9 }, 3, (o, k) => k === 1 && setMomentum(tf, o, name, 0.3));
    const built = train(name, { [key]: 0.3 }, 3);
    const unchanged = train(name, { [key]: 0.9 }, 3);
    close(set, built);
    expect(set).not.toEqual(unchanged);
  });

  it.each(['adam', 'adamax'] as const)(
    '%s: beta1 set before the first step acts like one given at construction',
    (name) => {
      const set = train(name, { beta1: 0.9 }, 3, (o, k) => k === 0 && setMomentum(tf, o, name, 0.5));
      close(set, train(name, { beta1: 0.5 }, 3));
      expect(set).not.toEqual(train(name, { beta1: 0.9 }, 3));
    },
  );

  it.each(['adam', 'adamax'] as const)(
    '%s: the bias correction uses the current beta1 (PyTorch 1 − beta1^step)',
    (name) => {
      const optimizer = createOptimizer(tf, { name, learningRate: 0.05, beta1: 0.9 });
      const vars = dense('fixed');
      step(optimizer, vars);
      step(optimizer, vars);
      setMomentum(tf, optimizer, name, 0.6);
      const acc = (optimizer as unknown as { accBeta1: { dataSync(): Float32Array } }).accBeta1.dataSync()[0];
      expect(acc).toBeCloseTo(0.6 ** 3, 6);
      dispose(optimizer, vars);
    },
  );

  it('rejects optimizers without momentum, and bad values', () => {
    for (const name of ['sgd', 'adagrad', 'adadelta'] as const) {
      const o = createOptimizer(tf, { name, learningRate: 0.1 });
      expect(() => setMomentum(tf, o, name, 0.9)).toThrow(/has no momentum/);
      o.dispose();
    }
    const o = createOptimizer(tf, { name: 'momentum', learningRate: 0.1 });
    expect(() => setMomentum(tf, o, 'momentum', Number.NaN)).toThrow(/finite/);
    o.dispose();
  });

  it('does not leak tensors across repeated calls', () => {
    const o = createOptimizer(tf, { name: 'momentum', learningRate: 0.1 });
    setMomentum(tf, o, 'momentum', 0.5);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) setMomentum(tf, o, 'momentum', 0.5 + i / 100);
    expect(tf.memory().numTensors).toBe(before);
    o.dispose();
  });
});
