import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  definePlugin,
  PluginRegistry,
  runPlan,
  validateExperiment,
  type ExperimentConfig,
  type RunPlan,
  type Schedule,
} from '@anneal/core';
import { datasets, models } from './plugins.ts';
import { runExperiment } from './run.ts';
import { readEvents } from './tfevents-reader.ts';
import { selectBackend } from './backend.ts';
import { loadModel } from './model-io.ts';
import type { RunStart, TrainerHooks } from './hooks.ts';

// A schedule defined here (the schedule packages sit beside the trainer, not under it):
// base·(1 − t/(2T)), different at every t, so any off-by-one in the loop shows.
const slope = definePlugin({
  kind: 'schedule',
  name: 'slope',
  description: 'test schedule',
  schema: { type: 'object', properties: {} },
  create: (_o: unknown, ctx: { base: number; total: number }): Schedule => ({
    at: (t) => ctx.base * (1 - t / (2 * ctx.total)),
    phases: [{ name: 'slope', start: 0 }],
  }),
});

function registry() {
  const r = new PluginRegistry();
  for (const p of [...datasets, ...models, slope]) r.register(p, 'test');
  return r;
}

interface Planned {
  config: ExperimentConfig;
  schedule: Schedule;
  plan: RunPlan;
}

function configure(
  overrides: Record<string, unknown> = {},
  schedule: Record<string, unknown> = { name: 'slope', unit: 'step' },
  plugins = registry(),
): Planned {
  const data = {
    name: 'run-test',
    seed: 5,
    data: { name: 'synthetic', kind: 'blobs', samples: 200, classes: 3, validationSplit: 0.25 },
    model: { name: 'mlp', hidden: [8] },
    optimizer: { name: 'adam', learningRate: 0.05 },
    schedule,
    train: { epochs: 3, batchSize: 32, backend: 'cpu' },
    ...overrides,
  };
  const result = validateExperiment({ data, sources: new Map(), file: join(tmpdir(), 'x.yaml') }, plugins);
  expect(result.errors).toEqual([]);
  return { config: result.config!, schedule: result.schedule!, plan: runPlan(result) };
}

const input = ({ config, plan }: Planned, plugins = registry()) => ({
  config,
  plan,
  registry: plugins,
  file: 'x.yaml',
  overrides: [],
});

const out = () => join(mkdtempSync(join(tmpdir(), 'anneal-run-')), 'run');
const jsonl = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
const withoutTime = (rows: Array<Record<string, unknown>>) => rows.map(({ seconds: _, ...rest }) => rest);

describe('runExperiment', () => {
  it('writes the whole run directory, with the scheduled rate at every step', async () => {
    const c = configure();
    const dir = out();
    const summary = await runExperiment({ ...input(c), overrides: ['a=1'] }, { out: dir });
    expect(summary.status).toBe('completed');
    for (const f of [
      'config.yaml',
      'summary.json',
      'metrics.jsonl',
      'metrics.csv',
      'lr.csv',
      'model/model.json',
      'model/weights.bin',
      'plots/lr.svg',
      'plots/metrics.svg',
      'checkpoints/last/state.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'config.yaml'), 'utf8')).toMatch(/overrides: a=1/);
    // 150 train examples / 32 → 5 steps an epoch, 15 in all.
    const lr = readFileSync(join(dir, 'lr.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(lr.map(([step]) => step)).toEqual([...Array(15).keys()]);
    for (const [step, , rate] of lr) expect(rate).toBe(c.schedule.at(step));
    const rows = jsonl(join(dir, 'metrics.jsonl'));
    expect(rows.map((r) => [r.epoch, r.step])).toEqual([
      [0, 5],
      [1, 10],
      [2, 15],
    ]);
    for (const r of rows) expect(r.lr).toBe(c.schedule.at(r.step - 1));
    expect(rows.every((r) => r.val_acc !== null && r.loss > 0)).toBe(true);
    const saved = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    expect(saved).toMatchObject({ status: 'completed', epochs: 3, steps: 15, seed: 5, backend: 'cpu' });
    expect(saved.samplesPerSecond).toBeGreaterThan(0);
    // TensorBoard: the per-step rate and the epoch metrics, read back with the CRC-checking reader.
    const events = readEvents(join(dir, readdirSync(dir).find((f) => f.startsWith('events.out.tfevents'))!));
    const series = (tag: string) =>
      events.flatMap((e) => e.scalars.filter((s) => s.tag === tag).map((s) => [e.step, s.value]));
    expect(series('learning_rate')).toEqual(lr.map(([step, , rate]) => [step, Math.fround(rate)]));
    expect(series('epoch_loss')).toEqual(rows.map((r) => [r.epoch, Math.fround(r.loss)]));
    // The saved model loads and predicts.
    const { tf } = await selectBackend('cpu');
    const model = await loadModel(tf, join(dir, 'model', 'model.json'));
    expect(model.outputs[0].shape).toEqual([null, 3]);
    model.dispose();
  });

  it('sets the rate once an epoch with unit: epoch', async () => {
    const c = configure({}, { name: 'slope', unit: 'epoch' });
    const dir = out();
    await runExperiment(input(c), { out: dir });
    expect(jsonl(join(dir, 'metrics.jsonl')).map((r) => r.lr)).toEqual([0, 1, 2].map((t) => c.schedule.at(t)));
    // lr.csv still has a row a step (5 a epoch), each with its epoch's rate.
    const lr = readFileSync(join(dir, 'lr.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    expect(lr.map(([, epoch, rate]) => [epoch, rate])).toEqual(
      [0, 1, 2].flatMap((t) => Array(5).fill([t, c.schedule.at(t)])),
    );
  });

  it('gives identical metrics for the same config and seed, and different ones for another seed', async () => {
    const run = async (seed: number) => {
      const dir = out();
      await runExperiment(input(configure({ seed })), { out: dir });
      return withoutTime(jsonl(join(dir, 'metrics.jsonl')));
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('keeps the number of tensors flat across epochs', async () => {
    const c = configure({ train: { epochs: 5, batchSize: 32, backend: 'cpu' } });
    const { tf } = await selectBackend('cpu');
    const counts: number[] = [];
    const probe: TrainerHooks = { onEpochEnd: () => void counts.push(tf.memory().numTensors) };
    await runExperiment(input(c), { out: out(), hooks: [probe] });
    expect(counts).toHaveLength(5);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('stops a diverging run as `diverged`, keeping what it wrote', async () => {
    const c = configure({ optimizer: { name: 'sgd', learningRate: 3e38 } });
    const dir = out();
    const summary = await runExperiment(input(c), { out: dir });
    expect(summary.status).toBe('diverged');
    expect(summary.message).toMatch(/loss became (NaN|Infinity)/);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).status).toBe('diverged');
  });

  it('marks an interrupted run and resumes it to the same result as an uninterrupted one', async () => {
    const c = configure({ train: { epochs: 4, batchSize: 32, backend: 'cpu' } });
    const whole = out();
    await runExperiment(input(c), { out: whole });

    const dir = out();
    const controller = new AbortController();
    // Abort in the middle of the third epoch (after step 12 of 20).
    const stopper: TrainerHooks = { onBatchEnd: (b) => void (b.step === 12 && controller.abort()) };
    const first = await runExperiment(input(c), { out: dir, signal: controller.signal, hooks: [stopper] });
    expect(first.status).toBe('interrupted');
    const resumed = await runExperiment(input(c), { out: dir, resume: true });
    expect(resumed.status).toBe('completed');
    expect(withoutTime(jsonl(join(dir, 'metrics.jsonl')))).toEqual(withoutTime(jsonl(join(whole, 'metrics.jsonl'))));
    expect(readFileSync(join(dir, 'lr.csv'), 'utf8')).toBe(readFileSync(join(whole, 'lr.csv'), 'utf8'));
  });

  it.each(['adam', 'adamax', 'rmsprop'])(
    'resumes %s with its whole state (the same metrics as uninterrupted)',
    async (name) => {
      // Adam's bias-correction products and all of Adamax's state are not in tfjs's getWeights.
      const c = configure({
        optimizer: { name, learningRate: 0.01 },
        train: { epochs: 4, batchSize: 32, backend: 'cpu' },
      });
      const whole = out();
      expect((await runExperiment(input(c), { out: whole })).status).toBe('completed');
      const dir = out();
      const controller = new AbortController();
      const stopper: TrainerHooks = { onBatchEnd: (b) => void (b.step === 7 && controller.abort()) };
      await runExperiment(input(c), { out: dir, signal: controller.signal, hooks: [stopper] });
      expect((await runExperiment(input(c), { out: dir, resume: true })).status).toBe('completed');
      expect(withoutTime(jsonl(join(dir, 'metrics.jsonl')))).toEqual(withoutTime(jsonl(join(whole, 'metrics.jsonl'))));
    },
  );

  it('resumes from the previous checkpoint when the last one is damaged, and says which', async () => {
    const c = configure({ train: { epochs: 4, batchSize: 32, backend: 'cpu' } });
    const whole = out();
    await runExperiment(input(c), { out: whole });
    const dir = out();
    const controller = new AbortController();
    // Stopped in epoch 3 (after step 12 of 20): checkpoints after epochs 1 (last.prev) and 2 (last).
    const stopper: TrainerHooks = { onBatchEnd: (b) => void (b.step === 12 && controller.abort()) };
    await runExperiment(input(c), { out: dir, signal: controller.signal, hooks: [stopper] });
    const weights = join(dir, 'checkpoints/last/weights.bin');
    writeFileSync(weights, readFileSync(weights).subarray(0, 40)); // a truncated copy
    let resumedFrom: RunStart['resumedFrom'];
    const resumed = await runExperiment(input(c), {
      out: dir,
      resume: true,
      hooks: [
        {
          onRunStart: (r) => {
            resumedFrom = r.resumedFrom;
          },
        },
      ],
    });
    expect(resumed.status).toBe('completed');
    expect(resumedFrom).toEqual({
      checkpoint: 'checkpoints/last.prev',
      damaged: [`${weights} is damaged (its sha256 does not match manifest.json)`],
    });
    expect(withoutTime(jsonl(join(dir, 'metrics.jsonl')))).toEqual(withoutTime(jsonl(join(whole, 'metrics.jsonl'))));
  });

  it('refuses to resume when no checkpoint is sound, naming each damaged file', async () => {
    const c = configure({ train: { epochs: 4, batchSize: 32, backend: 'cpu' } });
    const dir = out();
    const controller = new AbortController();
    const stopper: TrainerHooks = { onBatchEnd: (b) => void (b.step === 12 && controller.abort()) };
    await runExperiment(input(c), { out: dir, signal: controller.signal, hooks: [stopper] });
    const state = join(dir, 'checkpoints/last/state.json');
    writeFileSync(state, '{"epoch": 2, "rows": [');
    const prevWeights = join(dir, 'checkpoints/last.prev/weights.bin');
    writeFileSync(prevWeights, Buffer.alloc(readFileSync(prevWeights).length)); // zero-filled, same size
    const before = ['metrics.jsonl', 'summary.json'].map((f) => readFileSync(join(dir, f), 'utf8'));
    const attempt = runExperiment(input(c), { out: dir, resume: true });
    await expect(attempt).rejects.toThrow(/no sound checkpoint/);
    await attempt.catch((error) => {
      expect(error.code).toBe('RUN_FAILED');
      expect(error.hint).toContain(`${state} is damaged`);
      expect(error.hint).toContain(`${prevWeights} is damaged`);
    });
    expect(['metrics.jsonl', 'summary.json'].map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual(before);
  });

  it('records a plugin failure as `failed` and names the plugin', async () => {
    const c = configure({ model: { name: 'cnn' } });
    const dir = out();
    await expect(runExperiment(input(c), { out: dir })).rejects.toThrow(/model plugin `cnn` \(test\) failed/);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toMatchObject({ status: 'failed' });
  });

  it('refuses an --out directory that already holds files', async () => {
    const c = configure();
    const dir = out();
    await runExperiment(input(c), { out: dir });
    await expect(runExperiment(input(c), { out: dir })).rejects.toThrow(/already exists/);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement, as Keras counts them', async () => {
    // A rate of 0 after the first epoch: val_loss can no longer improve, so patience 1 stops after epoch 1 (Keras EarlyStopping).
    const zero = definePlugin({
      kind: 'schedule',
      name: 'step-zero',
      description: 'base, then 0',
      schema: { type: 'object', properties: {} },
      create: (_o: unknown, ctx: { base: number }): Schedule => ({
        at: (t) => (t === 0 ? ctx.base : 0),
        phases: [{ name: 'x', start: 0 }],
      }),
    });
    const r = registry();
    r.register(zero, 'test');
    const c = configure(
      {
        train: {
          epochs: 10,
          batchSize: 32,
          backend: 'cpu',
          earlyStopping: { monitor: 'val_loss', patience: 1, restoreBest: true },
        },
      },
      { name: 'step-zero', unit: 'epoch' },
      r,
    );
    const dir = out();
    const summary = await runExperiment(input(c, r), { out: dir });
    expect(summary.status).toBe('completed');
    expect(summary.stoppedEarly).toBe(true);
    expect(summary.epochs).toBe(2);
    expect(summary.best).toMatchObject({ monitor: 'val_loss', epoch: 0 });
  });
});
