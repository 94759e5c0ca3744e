import { AnnealError } from '@anneal/core';
import { readFileSync } from 'node:fs';
import { crc32c, maskCrc } from './tfevents.ts';

// Reads event files by decoding the protobuf wire format by hand: it shares no message
// definitions with the writer, so a round-trip test checks the writer against the spec,
// not against itself.

export interface ScalarValue {
  tag: string;
  value: number;
}

/** A plugin summary (hparams, …): the plugin's name and its serialized data, undecoded. */
export interface PluginValue {
  tag: string;
  plugin: string;
  content: Buffer;
}

export interface TfEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  scalars: ScalarValue[];
  plugins: PluginValue[];
}

/** A protobuf decoding failure inside one record; readEvents names the file and record. */
class DecodeError extends Error {}

function damaged(file: string, what: string, cause?: unknown): AnnealError {
  return new AnnealError('FILE_UNREADABLE', `${file}: ${what}`, {
    hint: 'the TensorBoard events file is damaged (a run killed mid-write leaves a truncated last record)',
    cause,
  });
}

/** Splits a TFRecord stream into records, checking both CRCs of each; throws on damage. */
export function readRecords(bytes: Buffer, file = '<buffer>'): Buffer[] {
  const records: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw damaged(file, ` truncated record header at byte ${at}`);
    const length = bytes.readBigUInt64LE(at);
    if (bytes.readUInt32LE(at + 8) !== maskCrc(crc32c(bytes.subarray(at, at + 8)))) {
      throw damaged(file, ` length CRC mismatch at byte ${at}`);
    }
    const start = at + 12;
    const end = start + Number(length);
    if (end + 4 > bytes.length) throw damaged(file, ` truncated record at byte ${at} (needs ${length} data bytes)`);
    const data = bytes.subarray(start, end);
    if (bytes.readUInt32LE(end) !== maskCrc(crc32c(data))) throw damaged(file, ` data CRC mismatch at byte ${at}`);
    records.push(data);
    at = end + 4;
  }
  return records;
}

/** A cursor over protobuf wire format (https://protobuf.dev/programming-guides/encoding/). */
class Wire {
  at = 0;
  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.at >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (this.at >= this.buf.length) throw new DecodeError('truncated varint');
      const byte = this.buf[this.at++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.at + length > this.buf.length) throw new DecodeError('truncated length-delimited field');
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }

  double(): number {
    const value = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return value;
  }

  float(): number {
    const value = this.buf.readFloatLE(this.at);
    this.at += 4;
    return value;
  }

  /** Reads a field key: field number and wire type. */
  key(): { field: number; type: number } {
    const key = Number(this.varint());
    return { field: key >>> 3, type: key & 7 };
  }

  skip(type: number): void {
    if (type === 0) this.varint();
    else if (type === 1) this.at += 8;
    else if (type === 2) this.bytes();
    else if (type === 5) this.at += 4;
    else throw new DecodeError(`unsupported wire type ${type}`);
  }
}

// Field numbers: Event { wall_time 1 (double), step 2 (int64), file_version 3 (string),
// summary 5 } · Summary { value 1 (repeated) } · Summary.Value { tag 1, simple_value 2 (float) }.
// Summary.Value { metadata 9 } · SummaryMetadata { plugin_data 1 } · PluginData { plugin_name 1, content 2 }.
function decodeValue(buf: Buffer): ScalarValue | PluginValue | undefined {
  const wire = new Wire(buf);
  let tag = '';
  let value: number | undefined;
  let plugin: PluginValue | undefined;
  while (!wire.done) {
    const { field, type } = wire.key();
    if (field === 1 && type === 2) tag = wire.bytes().toString('utf8');
    else if (field === 2 && type === 5) value = wire.float();
    else if (field === 9 && type === 2) {
      const data = protoFields(wire.bytes()).find((f) => f.field === 1);
      if (data && Buffer.isBuffer(data.value)) {
        const inner = protoFields(data.value);
        const name = inner.find((f) => f.field === 1)?.value;
        const content = inner.find((f) => f.field === 2)?.value;
        plugin = {
          tag: '',
          plugin: Buffer.isBuffer(name) ? name.toString('utf8') : '',
          content: Buffer.isBuffer(content) ? content : Buffer.alloc(0),
        };
      }
    } else wire.skip(type);
  }
  if (plugin) return { ...plugin, tag };
  // Values that are not simple scalars (images, histograms) are not ours to report.
  return value === undefined ? undefined : { tag, value };
}

/** One field of a protobuf message: varints as bigint, fixed64 as double, fixed32 as float, the rest as bytes. */
export interface ProtoField {
  field: number;
  value: bigint | number | Buffer;
}

/** The fields of a protobuf message, in order (repeated fields appear once each). */
export function protoFields(buf: Buffer): ProtoField[] {
  const wire = new Wire(buf);
  const out: ProtoField[] = [];
  while (!wire.done) {
    const { field, type } = wire.key();
    if (type === 0) out.push({ field, value: wire.varint() });
    else if (type === 1) out.push({ field, value: wire.double() });
    else if (type === 2) out.push({ field, value: wire.bytes() });
    else if (type === 5) out.push({ field, value: wire.float() });
    else wire.skip(type);
  }
  return out;
}

function decodeEvent(buf: Buffer): TfEvent {
  const wire = new Wire(buf);
  const event: TfEvent = { wallTime: 0, step: 0, scalars: [], plugins: [] };
  while (!wire.done) {
    const { field, type } = wire.key();
    if (field === 1 && type === 1) event.wallTime = wire.double();
    else if (field === 2 && type === 0) event.step = Number(BigInt.asIntN(64, wire.varint()));
    else if (field === 3 && type === 2) event.fileVersion = wire.bytes().toString('utf8');
    else if (field === 5 && type === 2) {
      const summary = new Wire(wire.bytes());
      while (!summary.done) {
        const key = summary.key();
        if (key.field === 1 && key.type === 2) {
          const value = decodeValue(summary.bytes());
          if (value && 'plugin' in value) event.plugins.push(value);
          else if (value) event.scalars.push(value);
        } else summary.skip(key.type);
      }
    } else wire.skip(type);
  }
  return event;
}

/** Every event of a TensorBoard event file, in order; throws on a CRC mismatch or truncation. */
export function readEvents(file: string): TfEvent[] {
  return readRecords(readFileSync(file), file).map((record, i) => {
    try {
      return decodeEvent(record);
    } catch (error) {
      throw damaged(file, ` record ${i} is not a valid Event: ${(error as Error).message}`, { cause: error });
    }
  });
}
