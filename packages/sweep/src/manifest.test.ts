import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnealError } from '@anneal/core';
import { parseManifest, readManifest } from './manifest.ts';
import { collectRows, readMetrics } from './results.ts';
import { paths } from './sweep-dir.ts';

const good = {
  formatVersion: 1,
  name: 's',
  createdAt: '2026-01-01T00:00:00Z',
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
  keys: ['w'],
  trials: [
    { id: 't-0123456789', point: { w: 1 }, repeat: 0, seed: 1 },
    { id: 't-abcdefabcd', point: { w: 2 }, repeat: 0, seed: 1 },
  ],
  dropped: [],
};

const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AnnealError);
    return error as AnnealError;
  }
  throw new Error('expected an AnnealError');
};

describe('sweep.json is checked before it is trusted', () => {
  it('reads a good one, and one written before format versions as version 1', () => {
    expect(parseManifest('sweep.json', JSON.stringify(good)).trials).toHaveLength(2);
    const { formatVersion, ...old } = good;
    expect(parseManifest('sweep.json', JSON.stringify(old)).formatVersion).toBe(formatVersion);
  });

  it('names the file when it is truncated', () => {
    const text = JSON.stringify(good, null, 2);
    const e = failure(() => parseManifest('/s/sweep.json', text.slice(0, text.length / 2)));
    expect(e.code).toBe('DIR_DAMAGED');
    expect(e.message).toMatch(/^\/s\/sweep\.json is damaged: /);
  });

  it('refuses trial ids that are not ours, such as a path out of the sweep', () => {
    for (const id of ['../../victim', '/etc', 't-0123456789/../../x', '', 7]) {
      const bad = { ...good, trials: [{ ...good.trials[0], id }] };
      const e = failure(() => parseManifest('/s/sweep.json', JSON.stringify(bad)));
      expect(e.code).toBe('DIR_DAMAGED');
      expect(e.message).toContain(`trials[0].id ${JSON.stringify(id)} is not a trial id`);
    }
    // And the path helpers refuse one even if it got past the manifest.
    expect(failure(() => paths.trial('/s', '../../victim')).code).toBe('DIR_DAMAGED');
  });

  it('refuses a newer format with DIR_VERSION, and a nonsense one as damage', () => {
    const e = failure(() => parseManifest('/s/sweep.json', JSON.stringify({ ...good, formatVersion: 2 })));
    expect(e.code).toBe('DIR_VERSION');
    expect(e.message).toMatch(/\/s\/sweep\.json was written by a newer anneal \(format 2; this one reads up to 1\)/);
    expect(failure(() => parseManifest('f', JSON.stringify({ ...good, formatVersion: 'x' }))).code).toBe('DIR_DAMAGED');
  });

  it('a directory without sweep.json is a usage error', () => {
    expect(failure(() => readManifest(mkdtempSync(join(tmpdir(), 'anneal-m-')))).code).toBe('USAGE');
  });
});

describe('damaged trial files', () => {
  const sweepDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'anneal-m-'));
    for (const t of good.trials) {
      mkdirSync(paths.trial(dir, t.id), { recursive: true });
      writeFileSync(paths.summary(dir, t.id), JSON.stringify({ status: 'completed', seconds: 1 }));
      writeFileSync(
        join(paths.trial(dir, t.id), 'metrics.jsonl'),
        `${JSON.stringify({ epoch: 0, lr: 1, val_acc: 0.5 })}\n${JSON.stringify({ epoch: 1, lr: 1, val_acc: 0.6 })}\n`,
      );
    }
    return dir;
  };

  it('a metrics.jsonl cut mid-line names the file and line', () => {
    const dir = sweepDir();
    const file = join(paths.trial(dir, good.trials[0].id), 'metrics.jsonl');
    writeFileSync(file, `${JSON.stringify({ epoch: 0, lr: 1, val_acc: 0.5 })}\n{"epoch": 1, "l`);
    const e = failure(() => readMetrics(paths.trial(dir, good.trials[0].id)));
    expect(e.message).toBe(`${file}:2: not a JSON row (the file is cut or damaged)`);
    // A row still being appended by a running trial is not damage.
    expect(readMetrics(paths.trial(dir, good.trials[0].id), { partialTail: true })).toHaveLength(1);
  });

  it('collectRows marks the damaged trial and keeps the others', () => {
    const dir = sweepDir();
    writeFileSync(join(paths.trial(dir, good.trials[0].id), 'metrics.jsonl'), '{"epoch": 0, "val');
    writeFileSync(paths.summary(dir, good.trials[1].id), JSON.stringify({ status: 'completed', seconds: 1 }));
    const rows = collectRows(dir, parseManifest('sweep.json', JSON.stringify(good)));
    expect(rows.map((r) => r.status)).toEqual(['damaged', 'completed']);
    expect(rows[0].message).toMatch(/metrics\.jsonl:1: not a JSON row/);
    expect(rows[1].best).toBe(0.6);
  });

  it('a truncated summary.json is damage too, named', () => {
    const dir = sweepDir();
    writeFileSync(paths.summary(dir, good.trials[1].id), '{"status": "comp');
    const rows = collectRows(dir, parseManifest('sweep.json', JSON.stringify(good)));
    expect(rows[1].status).toBe('damaged');
    expect(rows[1].message).toContain(`${paths.summary(dir, good.trials[1].id)} is damaged`);
  });
});
