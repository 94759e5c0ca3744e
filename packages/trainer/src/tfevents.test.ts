import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readEvents, readRecords } from './tfevents-reader.ts';
import { crc32c, EventWriter, frameRecord, maskCrc } from './tfevents.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anneal-tfevents-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crc32c', () => {
  // Check values from RFC 3720 (iSCSI) appendix B.4 and the CRC catalogue.
  it.each([
    ['123456789', 0xe3069283],
    ['', 0],
    ['a', 0xc1d04330],
  ])('crc32c(%j) = %i', (text, crc) => {
    expect(crc32c(Buffer.from(text))).toBe(crc);
  });

  it('matches RFC 3720 vectors on 32 zero and 32 0xff bytes', () => {
    expect(crc32c(Buffer.alloc(32, 0))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  it('masks as TensorFlow does, as an unsigned 32-bit value', () => {
    // Reference values from an independent bit-by-bit implementation (Python).
    expect(maskCrc(0xe3069283)).toBe(0xc78ab0e5);
    expect(maskCrc(0)).toBe(0xa282ead8);
    // Wraps around 2^32 instead of growing past it.
    expect(maskCrc(0xffffffff)).toBe(0xa282ead7);
  });

  it('frames a record: length, masked CRC of the length, data, masked CRC of the data', () => {
    const data = Buffer.from('123456789');
    const record = frameRecord(data);
    expect(record.length).toBe(8 + 4 + 9 + 4);
    expect(record.readBigUInt64LE(0)).toBe(9n);
    expect(record.readUInt32LE(8)).toBe(0x3971f937);
    expect(record.subarray(12, 21).toString()).toBe('123456789');
    expect(record.readUInt32LE(21)).toBe(0xc78ab0e5);
  });
});

describe('EventWriter', () => {
  it('names the file events.out.tfevents.<unix seconds>.<hostname><suffix>', async () => {
    const before = Math.floor(Date.now() / 1000);
    const writer = await EventWriter.open(join(dir, 'tb'), { filenameSuffix: '.train' });
    await writer.close();
    const after = Math.floor(Date.now() / 1000);
    const [name] = await readdir(join(dir, 'tb'));
    const match = /^events\.out\.tfevents\.(\d+)\.(.+)\.train$/.exec(name);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(before);
    expect(Number(match![1])).toBeLessThanOrEqual(after);
    expect(match![2]).toBe(hostname());
    expect(writer.file).toBe(join(dir, 'tb', name));
  });

  it('starts with a brain.Event:2 file_version record and round-trips many scalars', async () => {
    const writer = await EventWriter.open(dir);
    const expected: Array<{ tag: string; value: number; step: number; wallTime: number }> = [];
    for (let step = 0; step < 200; step++) {
      for (const tag of ['loss', 'val/acc', 'lr', 'ünïcode']) {
        const value = Math.sin(step * 0.37 + tag.length) * 10 ** ((step % 9) - 4);
        const wallTime = 1_700_000_000.125 + step;
        writer.scalar(tag, value, step, wallTime);
        expected.push({ tag, value, step, wallTime });
      }
      if (step % 50 === 0) await writer.flush();
    }
    writer.scalar('big-step', 1, 2 ** 40, 1);
    writer.scalar('negative', -3.5, 0, 1);
    await writer.close();

    const events = readEvents(writer.file);
    expect(events[0].fileVersion).toBe('brain.Event:2');
    expect(events[0].scalars).toEqual([]);
    expect(Math.abs(events[0].wallTime - Date.now() / 1000)).toBeLessThan(60);
    const scalars = events.slice(1);
    expect(scalars).toHaveLength(expected.length + 2);
    expected.forEach((e, i) => {
      expect(scalars[i]).toEqual({
        wallTime: e.wallTime,
        step: e.step,
        scalars: [{ tag: e.tag, value: Math.fround(e.value) }],
        plugins: [],
      });
    });
    expect(scalars.at(-2)).toMatchObject({ step: 2 ** 40, scalars: [{ tag: 'big-step', value: 1 }] });
    expect(scalars.at(-1)).toMatchObject({ step: 0, scalars: [{ tag: 'negative', value: -3.5 }] });
  });

  it('writes nothing new after close and refuses more scalars', async () => {
    const writer = await EventWriter.open(dir);
    writer.scalar('loss', 1, 0);
    await writer.close();
    await writer.close();
    expect(() => writer.scalar('loss', 1, 1)).toThrow(/closed/);
    expect(readEvents(writer.file)).toHaveLength(2);
  });

  it('rejects a fractional step', async () => {
    const writer = await EventWriter.open(dir);
    expect(() => writer.scalar('loss', 1, 1.5)).toThrow(/integer/);
    await writer.close();
  });

  it('flushes queued records on flush(), before close', async () => {
    const writer = await EventWriter.open(dir);
    writer.scalar('loss', 0.5, 1);
    await writer.flush();
    expect(readEvents(writer.file).map((e) => e.scalars)).toEqual([[], [{ tag: 'loss', value: 0.5 }]]);
    await writer.close();
  });
});

describe('readEvents', () => {
  async function sample(): Promise<{ file: string; bytes: Buffer }> {
    const writer = await EventWriter.open(dir);
    writer.scalar('loss', 0.25, 1, 10);
    writer.scalar('loss', 0.125, 2, 11);
    await writer.close();
    return { file: writer.file, bytes: await readFile(writer.file) };
  }

  it('throws a CRC error when a data byte is flipped', async () => {
    const { file, bytes } = await sample();
    bytes[bytes.length - 6] ^= 0x01; // inside the last record's data
    await writeFile(file, bytes);
    expect(() => readEvents(file)).toThrow(/data CRC mismatch/);
  });

  it('throws a CRC error when a length byte is flipped', async () => {
    const { file, bytes } = await sample();
    bytes[0] ^= 0x01;
    await writeFile(file, bytes);
    expect(() => readEvents(file)).toThrow(/length CRC mismatch at byte 0/);
  });

  it('detects a truncated file, in the data or in the header', async () => {
    const { file, bytes } = await sample();
    await writeFile(file, bytes.subarray(0, bytes.length - 3));
    expect(() => readEvents(file)).toThrow(/truncated record/);
    const records = readRecords(bytes);
    const lastStart = bytes.length - (records.at(-1)!.length + 16);
    await writeFile(file, bytes.subarray(0, lastStart + 5));
    expect(() => readEvents(file)).toThrow(/truncated record header/);
  });

  it('reads an empty file as no events', async () => {
    const file = join(dir, 'empty');
    await writeFile(file, '');
    expect(readEvents(file)).toEqual([]);
  });

  it('decodes a hand-built Event, independent of protobufjs', () => {
    // Event { wall_time: 1.5, step: 3, summary { value { tag: "x", simple_value: 0.25 } } }
    const summaryValue = Buffer.from([0x0a, 0x01, 0x78, 0x15, ...new Uint8Array(new Float32Array([0.25]).buffer)]);
    const summary = Buffer.from([0x0a, summaryValue.length, ...summaryValue]);
    const wall = Buffer.alloc(8);
    wall.writeDoubleLE(1.5);
    const event = Buffer.from([0x09, ...wall, 0x10, 0x03, 0x2a, summary.length, ...summary]);
    const file = join(dir, 'hand');
    return writeFile(file, frameRecord(event)).then(() => {
      expect(readEvents(file)).toEqual([{ wallTime: 1.5, step: 3, scalars: [{ tag: 'x', value: 0.25 }], plugins: [] }]);
    });
  });
});
