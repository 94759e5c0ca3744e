import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processStartTime } from '@anneal/core';
import { exp, tempDir } from './exp.ts';

// Sweep directories written by hand: these tests are about what `exp` does with the files it
// finds, so no trial needs to train.
const plan = (trials: Array<{ id: string; w: number }>, extra: object = {}) => ({
  formatVersion: 1,
  name: 'tiny',
  createdAt: '2026-01-01T00:00:00.000Z',
  sweep: {
    method: 'grid',
    parameters: {},
    zip: [],
    exclude: [],
    repeats: 1,
    trials: 1,
    metric: 'val_acc',
    goal: 'max',
  },
  keys: ['schedule.warmup'],
  trials: trials.map((t) => ({ id: t.id, point: { 'schedule.warmup': t.w }, repeat: 0, seed: 3 })),
  dropped: [],
  ...extra,
});

const metrics = (accs: number[]) =>
  accs.map((a, epoch) => `${JSON.stringify({ epoch, step: epoch + 1, lr: 0.1, val_acc: a })}\n`).join('');

function sweepDir(manifest: object, trials: Record<string, { summary?: string; metrics?: string }> = {}) {
  const dir = join(tempDir(), 'sweep');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sweep.json'), JSON.stringify(manifest, null, 2));
  for (const [id, files] of Object.entries(trials)) {
    mkdirSync(join(dir, 'trials', id), { recursive: true });
    if (files.summary) writeFileSync(join(dir, 'trials', id, 'summary.json'), files.summary);
    if (files.metrics) writeFileSync(join(dir, 'trials', id, 'metrics.jsonl'), files.metrics);
  }
  return dir;
}

const done = JSON.stringify({ formatVersion: 1, status: 'completed', seconds: 2 });

describe('exp sweep and exp report on sweep directories they did not just write', () => {
  it('--out refuses a non-empty directory that is not a sweep, and leaves it as it was', async () => {
    const dir = tempDir({ 'c.yaml': 'name: x\n', 'out/notes.txt': 'mine\n' });
    const r = await exp(['sweep', 'configs/iris.yaml', 'schedule.warmup=0,1', '--out', join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/out already exists and is not empty\nhint: choose a new directory/);
    expect(readdirSync(join(dir, 'out'))).toEqual(['notes.txt']);
  });

  it('--resume refuses a sweep.json whose trial id points outside the sweep, touching nothing', async () => {
    const dir = sweepDir(plan([{ id: '../../victim', w: 0 }]));
    // trials/../../victim from the sweep directory: a sibling of it.
    const victim = join(dir, '..', 'victim');
    mkdirSync(victim);
    writeFileSync(join(victim, 'keep.txt'), 'precious\n');
    for (const args of [
      ['sweep', '--resume', dir],
      ['report', dir],
    ]) {
      const r = await exp(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('trials[0].id "../../victim" is not a trial id');
      expect(r.stderr).toContain(join(dir, 'sweep.json'));
    }
    expect(readdirSync(victim)).toEqual(['keep.txt']);
    expect(readFileSync(join(victim, 'keep.txt'), 'utf8')).toBe('precious\n');
  });

  it('a truncated sweep.json is named, for --resume and report alike', async () => {
    const dir = sweepDir({});
    const text = JSON.stringify(plan([{ id: 't-0123456789', w: 0 }]), null, 2);
    writeFileSync(join(dir, 'sweep.json'), text.slice(0, 200));
    for (const args of [
      ['sweep', '--resume', dir],
      ['report', dir],
    ]) {
      const r = await exp(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`error: ${join(dir, 'sweep.json')} is damaged: `));
      expect(r.stderr).not.toMatch(/\.ts:\d+/);
    }
  });

  it('a sweep directory of a newer format is refused, not misread', async () => {
    const dir = sweepDir(plan([{ id: 't-0123456789', w: 0 }], { formatVersion: 2 }));
    const r = await exp(['sweep', '--resume', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('was written by a newer anneal (format 2; this one reads up to 1)');
  });

  it('report skips a trial whose metrics.jsonl is cut mid-line, with a warning, and ranks the rest', async () => {
    const dir = sweepDir(
      plan([
        { id: 't-0000000001', w: 0 },
        { id: 't-0000000002', w: 1 },
      ]),
      {
        't-0000000001': { summary: done, metrics: `${metrics([0.5, 0.9])}{"epoch": 2, "val_a` },
        't-0000000002': { summary: done, metrics: metrics([0.4, 0.6]) },
      },
    );
    const r = await exp(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `warning: skipped trial t-0000000001: ${join(dir, 'trials', 't-0000000001', 'metrics.jsonl')}:3: not a JSON row`,
    );
    expect(r.stdout).toMatch(/\| 1 \| t-0000000002 \| 1 \|/);
    expect(r.stdout).toMatch(/\| — \| t-0000000001 \| 0 \| 3 \| damaged \|/);
    expect(readFileSync(join(dir, 'results.csv'), 'utf8')).toMatch(/t-0000000001,0,0,3,damaged,/);
  });

  it('a failed trial with the best curve is not named best in summary.md or best.yaml', async () => {
    const dir = sweepDir(
      plan([
        { id: 't-0000000001', w: 0 },
        { id: 't-0000000002', w: 1 },
      ]),
      {
        't-0000000001': { summary: JSON.stringify({ status: 'failed', message: 'boom' }), metrics: metrics([0.99]) },
        't-0000000002': { summary: done, metrics: metrics([0.6]) },
      },
    );
    writeFileSync(join(dir, 'trials', 't-0000000001', 'config.yaml'), 'name: failed\n');
    writeFileSync(join(dir, 'trials', 't-0000000002', 'config.yaml'), 'name: completed\n');
    const r = await exp(['report', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/Trial `t-0000000002`/);
    expect(readFileSync(join(dir, 'best.yaml'), 'utf8')).toBe('name: completed\n');
  });

  it('--resume refuses a sweep another live process holds (exit 2), naming it', async () => {
    const dir = sweepDir(plan([{ id: 't-0123456789', w: 0 }]));
    // This test process stands in for a running `exp sweep`.
    const owner = {
      host: hostname(),
      pid: process.pid,
      startTime: processStartTime(process.pid),
      heartbeat: new Date().toISOString(),
      command: 'exp sweep c.yaml',
    };
    writeFileSync(join(dir, 'anneal.lock'), JSON.stringify(owner));
    const r = await exp(['sweep', '--resume', dir]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `this sweep directory is in use by exp sweep c.yaml (pid ${process.pid} on ${hostname()}`,
    );
    expect(existsSync(join(dir, 'trials'))).toBe(false);
  });

  it('exp run --resume refuses a run directory of a newer format', async () => {
    const dir = tempDir({
      'run/config.yaml': readFileSync('configs/iris.yaml', 'utf8'),
      'run/summary.json': JSON.stringify({ formatVersion: 99, status: 'interrupted' }),
    });
    const r = await exp(['run', '--resume', join(dir, 'run')]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(dir, 'run', 'summary.json')} was written by a newer anneal (format 99`);
  });
});
