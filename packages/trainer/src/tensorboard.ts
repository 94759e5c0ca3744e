// TensorBoard files without tfjs: what sweeps and reports import (`@anneal/trainer/tensorboard`),
// so they never pay for loading TensorFlow.js.
export { EventWriter } from './tfevents.ts';
export { protoFields, readEvents } from './tfevents-reader.ts';
export type { PluginValue, ProtoField, ScalarValue, TfEvent } from './tfevents-reader.ts';
export { HPARAMS_TAGS, hparamValue, writeHparams } from './hparams.ts';
export type { HparamsExperiment, HparamsSession } from './hparams.ts';
