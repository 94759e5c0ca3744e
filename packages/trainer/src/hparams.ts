import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { EventWriter } from './tfevents.ts';

// TensorBoard's HParams plugin data (tensorboard/plugins/hparams/{plugin_data,api}.proto, and
// google/protobuf/struct.proto for values); field numbers must match TensorBoard's.
// `keyType` (a map field) is valid protobufjs JSON, missing from its IField type: hence the cast.
const root = protobuf.Root.fromJSON({
  nested: {
    hparams: {
      nested: {
        HParamsPluginData: {
          fields: {
            version: { type: 'int32', id: 1 },
            experiment: { type: 'Experiment', id: 2 },
            sessionStartInfo: { type: 'SessionStartInfo', id: 3 },
            sessionEndInfo: { type: 'SessionEndInfo', id: 4 },
          },
        },
        Experiment: {
          fields: {
            description: { type: 'string', id: 1 },
            timeCreatedSecs: { type: 'double', id: 3 },
            hparamInfos: { rule: 'repeated', type: 'HParamInfo', id: 4 },
            metricInfos: { rule: 'repeated', type: 'MetricInfo', id: 5 },
            name: { type: 'string', id: 6 },
          },
        },
        HParamInfo: {
          fields: {
            name: { type: 'string', id: 1 },
            // DataType: 1 string, 2 bool, 3 float64.
            type: { type: 'int32', id: 4 },
            domainDiscrete: { type: 'ListValue', id: 5 },
            domainInterval: { type: 'Interval', id: 6 },
          },
        },
        Interval: { fields: { minValue: { type: 'double', id: 1 }, maxValue: { type: 'double', id: 2 } } },
        MetricName: { fields: { group: { type: 'string', id: 1 }, tag: { type: 'string', id: 2 } } },
        MetricInfo: { fields: { name: { type: 'MetricName', id: 1 }, displayName: { type: 'string', id: 3 } } },
        SessionStartInfo: {
          fields: {
            hparams: { keyType: 'string', type: 'Value', id: 1 } as protobuf.IField,
            groupName: { type: 'string', id: 4 },
            startTimeSecs: { type: 'double', id: 5 },
          },
        },
        // Status: 1 success, 2 failure.
        SessionEndInfo: { fields: { status: { type: 'int32', id: 1 }, endTimeSecs: { type: 'double', id: 2 } } },
        Value: {
          oneofs: { kind: { oneof: ['numberValue', 'stringValue', 'boolValue'] } },
          fields: {
            numberValue: { type: 'double', id: 2 },
            stringValue: { type: 'string', id: 3 },
            boolValue: { type: 'bool', id: 4 },
          },
        },
        ListValue: { fields: { values: { rule: 'repeated', type: 'Value', id: 1 } } },
      },
    },
  },
});
const PluginData = root.lookupType('hparams.HParamsPluginData');
const encode = (data: Record<string, unknown>) =>
  PluginData.encode(PluginData.fromObject({ version: 0, ...data })).finish();

export const HPARAMS_TAGS = {
  experiment: '_hparams_/experiment',
  start: '_hparams_/session_start_info',
  end: '_hparams_/session_end_info',
} as const;
const SUFFIX = '.hparams';

type HValue = number | string | boolean;
const toValue = (v: HValue) =>
  typeof v === 'number' ? { numberValue: v } : typeof v === 'boolean' ? { boolValue: v } : { stringValue: v };

/** A swept value as TensorBoard can show it: numbers, strings and booleans as they are, anything else as JSON. */
export function hparamValue(v: unknown): HValue {
  return typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v);
}

export interface HparamsExperiment {
  name: string;
  /** Each swept key: its discrete values (a grid) or its range (a random search). */
  hparams: Array<{ name: string; values?: unknown[]; range?: { min: number; max: number } }>;
  /** Scalar tags the trials write, e.g. `epoch_val_acc`. */
  metrics: string[];
  createdSecs: number;
}

export interface HparamsSession {
  /** The trial's run directory (a TensorBoard run). */
  dir: string;
  hparams: Record<string, unknown>;
  /** Repeats of one point share a group, so TensorBoard can aggregate seeds. */
  group: string;
  status: 'success' | 'failure';
  startSecs: number;
  endSecs: number;
}

/** Replaces the hparams event file in `dir` (never another writer's file): rebuilt on every report. */
async function rewrite(dir: string, write: (w: EventWriter) => void): Promise<void> {
  for (const f of readdirSync(dir))
    if (f.startsWith('events.out.tfevents.') && f.endsWith(SUFFIX)) rmSync(join(dir, f));
  const writer = await EventWriter.open(dir, { filenameSuffix: SUFFIX });
  write(writer);
  await writer.close();
}

/**
 * TensorBoard's HParams dashboard for a sweep: the experiment (swept keys and metrics) in the
 * sweep directory, a session start and end in each finished trial's directory. Metric values
 * come from the scalars each trial already writes (`epoch_val_acc`, …).
 */
export async function writeHparams(sweepDir: string, experiment: HparamsExperiment, sessions: HparamsSession[]) {
  const hparamInfos = experiment.hparams.map((h) => {
    const values = h.values?.map(hparamValue);
    const numeric = values ? values.every((v) => typeof v === 'number') : true;
    return {
      name: h.name,
      type: numeric ? 3 : values?.every((v) => typeof v === 'boolean') ? 2 : 1,
      ...(values ? { domainDiscrete: { values: values.map(toValue) } } : {}),
      ...(h.range ? { domainInterval: { minValue: h.range.min, maxValue: h.range.max } } : {}),
    };
  });
  const content = encode({
    experiment: {
      name: experiment.name,
      timeCreatedSecs: experiment.createdSecs,
      hparamInfos,
      metricInfos: experiment.metrics.map((tag) => ({ name: { group: '', tag }, displayName: tag })),
    },
  });
  await rewrite(sweepDir, (w) =>
    w.pluginSummary(HPARAMS_TAGS.experiment, 'hparams', content, 0, experiment.createdSecs),
  );
  for (const s of sessions) {
    const start = encode({
      sessionStartInfo: {
        hparams: Object.fromEntries(Object.entries(s.hparams).map(([k, v]) => [k, toValue(hparamValue(v))])),
        groupName: s.group,
        startTimeSecs: s.startSecs,
      },
    });
    const end = encode({ sessionEndInfo: { status: s.status === 'success' ? 1 : 2, endTimeSecs: s.endSecs } });
    await rewrite(s.dir, (w) => {
      w.pluginSummary(HPARAMS_TAGS.start, 'hparams', start, 0, s.startSecs);
      w.pluginSummary(HPARAMS_TAGS.end, 'hparams', end, 0, s.endSecs);
    });
  }
}
