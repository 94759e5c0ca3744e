import 'reflect-metadata';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Launcher, TrialJob } from '@anneal/sweep';
import { sweep } from '../src/commands/sweep.ts';
import type { LauncherFactories, LauncherSpec } from '../src/launchers.ts';
import { createReporter } from '../src/reporter.ts';
import { TOKENS } from '@anneal/core';
import { createRoot } from '../src/root.ts';
import { tempDir } from './exp.ts';

const config = `name: fake
seed: 1
data: { name: iris }
model: { name: mlp, hidden: [4] }
optimizer: { name: adam, learningRate: 0.01 }
schedule: { name: constant }
train: { epochs: 3, batchSize: 16, backend: cpu }
sweep:
  parameters:
    optimizer.learningRate: [0.01, 0.02, 0.03]
`;

/** A launcher that "trains" instantly: val_acc = 10 × the learning rate, a value we can rank by hand. */
class FakeLauncher implements Launcher {
  readonly slots: number = 2;
  readonly jobs: TrialJob[] = [];
  async run(job: TrialJob) {
    this.jobs.push(job);
    const lr = (parse(readFileSync(job.configFile, 'utf8')) as { optimizer: { learningRate: number } }).optimizer
      .learningRate;
    mkdirSync(job.outDir, { recursive: true });
    copyFileSync(job.configFile, join(job.outDir, 'config.yaml'));
    writeFileSync(join(job.outDir, 'metrics.jsonl'), `${JSON.stringify({ epoch: 0, lr, val_acc: 10 * lr })}\n`);
    writeFileSync(join(job.outDir, 'summary.json'), JSON.stringify({ status: 'completed', seconds: 0.1 }));
    return { id: job.id, status: 'completed' as const };
  }
  async close() {}
}

function rootWithFakes() {
  const root = createRoot({ reporter: createReporter({ quiet: true, stdout: { write: () => true } as never }) });
  const calls: Array<{ kind: string; spec: LauncherSpec; launcher: FakeLauncher }> = [];
  const fake =
    (kind: string) =>
    async (spec: LauncherSpec): Promise<Launcher> => {
      const launcher = new FakeLauncher();
      calls.push({ kind, spec, launcher });
      return launcher;
    };
  root.register(TOKENS.Launchers, {
    useValue: { local: fake('local'), queue: fake('queue') } satisfies LauncherFactories,
  });
  return { root, calls };
}

describe('launchers from the composition root', () => {
  it('a sweep runs on whatever launcher is registered', async () => {
    const dir = tempDir({ 'c.yaml': config });
    const { root, calls } = rootWithFakes();
    const code = await sweep(root, join(dir, 'c.yaml'), [], { out: join(dir, 's'), plots: false });
    expect(code).toBe('ok');
    expect(calls.map((c) => c.kind)).toEqual(['local']);
    expect(calls[0].launcher.jobs).toHaveLength(3);
    const best = readFileSync(join(dir, 's', 'summary.md'), 'utf8');
    expect(best).toMatch(/optimizer\.learningRate` = 0\.03 → val_acc 0\.3 /);
  });

  it('--queue picks the queue launcher, with the sweep key it records in queue.json (no password)', async () => {
    const dir = tempDir({ 'c.yaml': config });
    const { root, calls } = rootWithFakes();
    const url = 'redis://:pw-123@queue-host:6379';
    const code = await sweep(root, join(dir, 'c.yaml'), [], {
      out: join(dir, 's'),
      plots: false,
      queue: url,
      prefix: 'proj',
    });
    expect(code).toBe('ok');
    expect(calls.map((c) => c.kind)).toEqual(['queue']);
    const record = JSON.parse(readFileSync(join(dir, 's', 'queue.json'), 'utf8'));
    expect(record).toEqual({ key: calls[0].spec.queue!.sweepKey, url: 'redis://queue-host:6379', prefix: 'proj' });
    expect(calls[0].spec.queue!.url).toBe(url);
    expect(readFileSync(join(dir, 's', 'sweep.json'), 'utf8')).not.toMatch(/pw-123/);
    // --resume finds the queue again from queue.json, with the same key.
    const again = await sweep(root, undefined, [], { resume: join(dir, 's'), plots: false });
    expect(again).toBe('ok');
    expect(calls.map((c) => c.kind)).toEqual(['queue', 'queue']);
    expect(calls[1].spec.queue).toMatchObject({ sweepKey: record.key, url: 'redis://queue-host:6379', prefix: 'proj' });
    expect(existsSync(join(dir, 's', 'results.csv'))).toBe(true);
  });

  it('trials that finish together write the results one at a time (one hparams file, no EEXIST)', async () => {
    const grid = config.replace('[0.01, 0.02, 0.03]', '[0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08]');
    const dir = tempDir({ 'c.yaml': grid });
    const root = createRoot({ reporter: createReporter({ quiet: true, stdout: { write: () => true } as never }) });
    // Four slots whose trials all end in the same tick, so their results refreshes start together.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const launcher = new (class extends FakeLauncher {
      readonly slots = 4;
      async run(job: TrialJob) {
        const outcome = await super.run(job);
        // TensorBoard scalars, as a real trial writes them: the sweep then writes its hparams files.
        writeFileSync(join(job.outDir, 'events.out.tfevents.1.fake'), '');
        if (++started === 4) release();
        await gate;
        return outcome;
      }
    })();
    root.register(TOKENS.Launchers, {
      useValue: { local: async () => launcher, queue: async () => launcher } satisfies LauncherFactories,
    });
    const code = await sweep(root, join(dir, 'c.yaml'), [], { out: join(dir, 's'), plots: false, parallel: 4 });
    expect(code).toBe('ok');
    expect(launcher.jobs).toHaveLength(8);
    expect(readdirSync(join(dir, 's')).filter((f) => f.endsWith('.hparams'))).toHaveLength(1);
  });
});
