import { AnnealError } from '@anneal/core';
import { mkdir, open as openFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import CRC32C from 'crc-32/crc32c.js';
import protobuf from 'protobufjs';

// TensorBoard event files, written without TensorFlow: a TFRecord stream of `Event` protos.
// No tfjs here, so loggers and `exp report` stay cheap to load.

/** CRC-32C (Castagnoli) as an unsigned 32-bit number; crc-32 returns a signed int32. */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}

/**
 * TFRecord's masked CRC (tensorflow/core/lib/hash/crc32c.h): rotate right by 15 bits and add a
 * constant, so a CRC computed over bytes that contain CRCs does not look like a valid one.
 */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/**
 * One TFRecord: uint64 LE length, masked CRC of those 8 bytes, the data, masked CRC of the
 * data (tensorflow/core/lib/io/record_writer.cc).
 */
export function frameRecord(data: Uint8Array): Buffer {
  const record = Buffer.alloc(8 + 4 + data.length + 4);
  record.writeBigUInt64LE(BigInt(data.length), 0);
  record.writeUInt32LE(maskCrc(crc32c(record.subarray(0, 8))), 8);
  record.set(data, 12);
  record.writeUInt32LE(maskCrc(crc32c(data)), 12 + data.length);
  return record;
}

// The subset of tensorflow/core/util/event.proto and framework/summary.proto that scalars need;
// field numbers must match TensorBoard's.
const root = protobuf.Root.fromJSON({
  nested: {
    tensorboard: {
      nested: {
        Event: {
          fields: {
            wallTime: { type: 'double', id: 1 },
            step: { type: 'int64', id: 2 },
            fileVersion: { type: 'string', id: 3 },
            summary: { type: 'Summary', id: 5 },
          },
        },
        Summary: {
          fields: { value: { rule: 'repeated', type: 'Value', id: 1 } },
          nested: {
            // simple_value and tensor sit in a oneof in summary.proto: that gives them presence, so a 0
            // (a warm-up's first rate) is written instead of dropped as a proto3 default.
            Value: {
              oneofs: { value: { oneof: ['simpleValue', 'tensor'] } },
              fields: {
                tag: { type: 'string', id: 1 },
                simpleValue: { type: 'float', id: 2 },
                tensor: { type: 'TensorProto', id: 8 },
                metadata: { type: 'SummaryMetadata', id: 9 },
              },
            },
          },
        },
        // Plugin summaries (hparams) carry their data in metadata.plugin_data and an empty tensor.
        SummaryMetadata: {
          fields: { pluginData: { type: 'PluginData', id: 1 } },
          nested: {
            PluginData: { fields: { pluginName: { type: 'string', id: 1 }, content: { type: 'bytes', id: 2 } } },
          },
        },
        TensorProto: {
          fields: { dtype: { type: 'int32', id: 1 }, tensorShape: { type: 'TensorShapeProto', id: 2 } },
        },
        TensorShapeProto: {
          fields: { dim: { rule: 'repeated', type: 'Dim', id: 2 } },
          nested: { Dim: { fields: { size: { type: 'int64', id: 1 } } } },
        },
      },
    },
  },
});
const EventType = root.lookupType('tensorboard.Event');

interface SummaryValue {
  tag: string;
  simpleValue?: number;
  tensor?: { dtype: number; tensorShape: { dim: Array<{ size: number }> } };
  metadata?: { pluginData: { pluginName: string; content: Uint8Array } };
}

interface EventFields {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  summary?: { value: SummaryValue[] };
}

// TensorBoard's hparams NULL_TENSOR: a length-0 float vector (DT_FLOAT = 1), the smallest valid tensor.
const NULL_TENSOR = { dtype: 1, tensorShape: { dim: [{ size: 0 }] } };

function encodeEvent(event: EventFields): Uint8Array {
  return EventType.encode(EventType.fromObject(event)).finish();
}

export interface EventWriterOptions {
  /** Appended to the file name, e.g. `.train` (TensorFlow's `filename_suffix`). */
  filenameSuffix?: string;
}

/**
 * Writes scalars to `events.out.tfevents.<seconds>.<hostname><suffix>`, the name TensorBoard
 * globs for. Records are buffered in memory and written by `flush()` and `close()`; the trainer
 * flushes at the end of every epoch, so a live TensorBoard sees each epoch as it finishes.
 */
export class EventWriter {
  readonly file: string;
  private pending: Buffer[] = [];
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  private constructor(
    file: string,
    private readonly handle: FileHandle,
  ) {
    this.file = file;
  }

  static async open(dir: string, options: EventWriterOptions = {}): Promise<EventWriter> {
    await mkdir(dir, { recursive: true });
    const now = Date.now() / 1000;
    const name = `events.out.tfevents.${Math.floor(now)}.${hostname()}${options.filenameSuffix ?? ''}`;
    const file = join(dir, name);
    // `wx`: never append to or clobber another writer's file.
    const writer = new EventWriter(file, await openFile(file, 'wx'));
    // TensorBoard reads the first record to recognise the format version.
    writer.pending.push(frameRecord(encodeEvent({ wallTime: now, fileVersion: 'brain.Event:2' })));
    await writer.flush();
    return writer;
  }

  /** Queues one scalar; the value is stored as float32 (`simple_value`), as TensorBoard reads it. */
  scalar(tag: string, value: number, step: number, wallTime: number = Date.now() / 1000): void {
    // Both are bugs in the caller, not user errors; RUN_FAILED keeps them in the one channel.
    if (this.closed) throw new AnnealError('RUN_FAILED', `EventWriter for ${this.file} is closed`);
    if (!Number.isInteger(step))
      throw new AnnealError('RUN_FAILED', `TensorBoard step must be an integer, got ${step} for "${tag}"`);
    this.pending.push(frameRecord(encodeEvent({ wallTime, step, summary: { value: [{ tag, simpleValue: value }] } })));
  }

  /**
   * Queues a plugin summary: `content` is the plugin's own serialized proto (e.g. the HParams
   * plugin's HParamsPluginData), stored in the value's metadata as TensorBoard plugins expect.
   */
  pluginSummary(tag: string, pluginName: string, content: Uint8Array, step = 0, wallTime = Date.now() / 1000): void {
    if (this.closed) throw new AnnealError('RUN_FAILED', `EventWriter for ${this.file} is closed`);
    const value = { tag, tensor: NULL_TENSOR, metadata: { pluginData: { pluginName, content } } };
    this.pending.push(frameRecord(encodeEvent({ wallTime, step, summary: { value: [value] } })));
  }

  /** Writes every queued record; calls are serialised, so records keep their order. */
  flush(): Promise<void> {
    const chunk = Buffer.concat(this.pending);
    this.pending = [];
    this.writing = this.writing.then(async () => {
      if (chunk.length > 0) await this.handle.write(chunk);
    });
    return this.writing;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      await this.handle.close();
    }
  }
}
