import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SWEEP_FORMAT } from '@anneal/core';
import { HPARAMS_TAGS, type ProtoField, protoFields, readEvents } from '@anneal/trainer/tensorboard';
import { writeSweepHparams } from './hparams.ts';
import type { TrialRow } from './results.ts';
import type { SweepManifest } from './sweep-dir.ts';

// Read back with the hand-written wire decoder (which shares nothing with the writer's
// protobufjs definitions), by TensorBoard's field numbers:
// HParamsPluginData { version 1, experiment 2, session_start_info 3, session_end_info 4 }
// Experiment { hparam_infos 4, metric_infos 5, name 6 } · HParamInfo { name 1, type 4, domain_discrete 5, domain_interval 6 }
// SessionStartInfo { hparams 1 (map entry: key 1, value 2), group_name 4 } · SessionEndInfo { status 1 }
// google.protobuf.Value { number_value 2, string_value 3 } · MetricInfo { name 1 } · MetricName { tag 2 }
const sub = (fields: ProtoField[], n: number) =>
  fields.filter((f) => f.field === n).map((f) => protoFields(f.value as Buffer));
const str = (fields: ProtoField[], n: number) =>
  (fields.find((f) => f.field === n)?.value as Buffer | undefined)?.toString('utf8');
const num = (fields: ProtoField[], n: number) => fields.find((f) => f.field === n)?.value;

const dir = mkdtempSync(join(tmpdir(), 'anneal-hparams-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const manifest: SweepManifest = {
  formatVersion: SWEEP_FORMAT,
  name: 'warmup-lr',
  createdAt: '2026-01-02T03:04:05Z',
  sweep: {
    method: 'random',
    parameters: {
      'schedule.warmup': [0, 2],
      'optimizer.learningRate': { min: 1e-4, max: 1e-2, log: true, int: false },
    },
    zip: [],
    exclude: [],
    repeats: 1,
    trials: 2,
    metric: 'val_acc',
    goal: 'max',
  } as SweepManifest['sweep'],
  keys: ['schedule.warmup', 'optimizer.learningRate'],
  trials: [
    { id: 't-00000000a0', point: { 'schedule.warmup': 0, 'optimizer.learningRate': 3e-4 }, repeat: 0, seed: 7 },
    { id: 't-00000000a1', point: { 'schedule.warmup': 2, 'optimizer.learningRate': 2e-3 }, repeat: 0, seed: 7 },
  ],
  dropped: [],
};
const row = (id: string, status: string): TrialRow => ({
  ...manifest.trials.find((t) => t.id === id)!,
  status,
  final: 0.9,
  best: 0.9,
  bestEpoch: 1,
  epochs: 2,
  seconds: 1,
});

describe('sweep hparams for TensorBoard', () => {
  it('writes the experiment in the sweep and a session per finished trial, readable by field number', async () => {
    for (const id of ['t-00000000a0', 't-00000000a1']) {
      mkdirSync(join(dir, 'trials', id), { recursive: true });
      writeFileSync(join(dir, 'trials', id, 'events.out.tfevents.1.host'), '');
      writeFileSync(
        join(dir, 'trials', id, 'summary.json'),
        JSON.stringify({ startedAt: '2026-01-02T03:05:00Z', finishedAt: '2026-01-02T03:06:00Z' }),
      );
    }
    const rows = [row('t-00000000a0', 'completed'), row('t-00000000a1', 'failed')];
    await writeSweepHparams(dir, manifest, rows);
    // Twice: the files are replaced, not added to.
    await writeSweepHparams(dir, manifest, rows);
    const files = readdirSync(dir).filter((f) => f.endsWith('.hparams'));
    expect(files).toHaveLength(1);

    const [, experimentEvent] = readEvents(join(dir, files[0]));
    const [value] = experimentEvent.plugins;
    expect(value.tag).toBe(HPARAMS_TAGS.experiment);
    expect(value.plugin).toBe('hparams');
    const data = protoFields(value.content);
    expect(num(data, 1) ?? 0n).toBe(0n);
    const [experiment] = sub(data, 2);
    expect(str(experiment, 6)).toBe('warmup-lr');
    const infos = sub(experiment, 4);
    expect(infos.map((i) => str(i, 1))).toEqual(['schedule.warmup', 'optimizer.learningRate', 'seed']);
    // The grid key lists its values; the range key has an interval [1e-4, 1e-2].
    const discrete = sub(infos[0], 5)[0];
    expect(sub(discrete, 1).map((v) => num(v, 2))).toEqual([0, 2]);
    const interval = sub(infos[1], 6)[0];
    expect([num(interval, 1), num(interval, 2)]).toEqual([1e-4, 1e-2]);
    expect(num(infos[0], 4)).toBe(3n); // DATA_TYPE_FLOAT64
    const metricTags = sub(experiment, 5).map((m) => str(sub(m, 1)[0], 2));
    expect(metricTags).toEqual(['epoch_val_acc', 'epoch_loss', 'epoch_acc', 'epoch_val_loss']);

    for (const [id, status] of [
      ['t-00000000a0', 1n],
      ['t-00000000a1', 2n],
    ] as const) {
      const trialFiles = readdirSync(join(dir, 'trials', id)).filter((f) => f.endsWith('.hparams'));
      expect(trialFiles).toHaveLength(1);
      const events = readEvents(join(dir, 'trials', id, trialFiles[0])).flatMap((e) => e.plugins);
      expect(events.map((e) => e.tag)).toEqual([HPARAMS_TAGS.start, HPARAMS_TAGS.end]);
      const [start] = sub(protoFields(events[0].content), 3);
      const hparams = Object.fromEntries(sub(start, 1).map((entry) => [str(entry, 1), num(sub(entry, 2)[0], 2)]));
      expect(hparams).toEqual({ ...manifest.trials.find((t) => t.id === id)!.point, seed: 7 });
      expect(str(start, 4)).toBe(JSON.stringify(manifest.trials.find((t) => t.id === id)!.point));
      const [end] = sub(protoFields(events[1].content), 4);
      expect(num(end, 1)).toBe(status);
      expect(num(end, 2)).toBe(Date.parse('2026-01-02T03:06:00Z') / 1000);
    }
  });

  it('writes nothing when the trials wrote no TensorBoard files', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'anneal-hparams-none-'));
    mkdirSync(join(empty, 'trials', 't-00000000a0'), { recursive: true });
    await writeSweepHparams(empty, manifest, [row('t-00000000a0', 'completed')]);
    expect(readdirSync(empty).filter((f) => f.endsWith('.hparams'))).toEqual([]);
    rmSync(empty, { recursive: true, force: true });
  });
});
