import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Run and sweep directories shaped as `exp run` / `exp sweep` write them (docs/run-directory.md),
 * with curves from closed-form functions, so report and compare tests need no training.
 */
export interface FakeRun {
  name: string;
  seed: number;
  epochs: number;
  stepsPerEpoch: number;
  /** The schedule's rate at epoch t. */
  lr: (t: number) => number;
  warmup: number;
  status?: string;
}

export const valAcc = (run: FakeRun, t: number) => 1 - 0.6 * Math.exp(-(t + 1) / (2 + run.warmup)) - 0.01 * run.seed;

export function writeRunDir(dir: string, run: FakeRun): void {
  mkdirSync(dir, { recursive: true });
  const rows = Array.from({ length: run.epochs }, (_, t) => ({
    epoch: t,
    step: (t + 1) * run.stepsPerEpoch,
    lr: run.lr(t),
    loss: 1.5 * Math.exp(-t / 3) + 0.1,
    acc: valAcc(run, t) + 0.02,
    val_loss: 1.6 * Math.exp(-t / 3) + 0.15,
    val_acc: valAcc(run, t),
    seconds: 0.5,
  }));
  writeFileSync(join(dir, 'metrics.jsonl'), rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  writeFileSync(
    join(dir, 'config.yaml'),
    `name: ${run.name}\nseed: ${run.seed}\noptimizer:\n  name: adam\n  learningRate: 0.01\nschedule:\n  name: cosine-warmup\n  warmup: ${run.warmup}\n  unit: epoch\ntrain:\n  epochs: ${run.epochs}\n  batchSize: 32\n`,
  );
  const best = rows.reduce((b, r) => (r.val_loss < b.val_loss ? r : b));
  writeFileSync(
    join(dir, 'summary.json'),
    JSON.stringify({
      name: run.name,
      status: run.status ?? 'completed',
      seed: run.seed,
      epochs: run.epochs,
      steps: run.epochs * run.stepsPerEpoch,
      best: { monitor: 'val_loss', value: best.val_loss, epoch: best.epoch },
      seconds: 3.25,
      samplesPerSecond: 1234.5678,
      backend: 'cpu',
    }),
  );
}

/** A finished grid sweep over `schedule.warmup` × `optimizer.learningRate`, one trial a point. */
export function writeSweepDir(dir: string, warmups: number[], rates: number[]): string[] {
  const trials = warmups.flatMap((w, i) =>
    rates.map((lr, j) => ({
      id: `t-${String(i * rates.length + j).padStart(10, '0')}`,
      point: { 'schedule.warmup': w, 'optimizer.learningRate': lr },
      repeat: 0,
      seed: 1,
    })),
  );
  writeFileSync(
    join(dir, 'sweep.json'),
    JSON.stringify({
      name: 'fake-sweep',
      createdAt: '2026-01-01T00:00:00Z',
      sweep: {
        method: 'grid',
        parameters: { 'schedule.warmup': warmups, 'optimizer.learningRate': rates },
        zip: [],
        exclude: [],
        repeats: 1,
        trials: 0,
        metric: 'val_acc',
        goal: 'max',
      },
      keys: ['schedule.warmup', 'optimizer.learningRate'],
      trials,
      dropped: [],
    }),
  );
  for (const t of trials) {
    const w = t.point['schedule.warmup'];
    const base = t.point['optimizer.learningRate'];
    writeRunDir(join(dir, 'trials', t.id), {
      name: 'fake-sweep',
      seed: 1,
      epochs: 8,
      stepsPerEpoch: 10,
      warmup: w + base * 100,
      lr: (e) => (e < w ? (base * (e + 1)) / (w + 1) : base * 0.5 * (1 + Math.cos((Math.PI * (e - w)) / (8 - w)))),
    });
  }
  return trials.map((t) => t.id);
}
