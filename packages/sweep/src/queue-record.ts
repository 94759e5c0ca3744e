import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withoutPassword, type QueueTarget } from './queue-connection.ts';
import { writeAtomic } from './sweep-dir.ts';

/**
 * queue.json in a sweep directory that runs through a queue: its sweep key (the job id prefix) and
 * where the queue is, so `exp sweep --resume DIR` finds its jobs again. Never the password.
 */
export interface QueueRecord {
  key: string;
  url: string;
  prefix: string;
}

const file = (dir: string) => join(dir, 'queue.json');

export function readQueueRecord(dir: string): QueueRecord | undefined {
  return existsSync(file(dir)) ? (JSON.parse(readFileSync(file(dir), 'utf8')) as QueueRecord) : undefined;
}

/** A sweep's key: its name (job ids stay readable in Redis tools) and random bits (two sweeps of one config differ). */
export const newSweepKey = (name: string) =>
  `${name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${randomBytes(4).toString('hex')}`;

export function writeQueueRecord(dir: string, key: string, target: QueueTarget): void {
  const record: QueueRecord = { key, url: withoutPassword(target.url), prefix: target.prefix };
  writeAtomic(file(dir), `${JSON.stringify(record, null, 2)}\n`);
}
