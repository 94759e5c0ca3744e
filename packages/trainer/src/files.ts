import { closeSync, ftruncateSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '@anneal/core';

// One atomic write for the whole workspace (core's): whole file or nothing, no temp litter,
// and a full disk or read-only directory reported with the path.
export { writeFileAtomic };

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * summary.json's final status, even on a full disk: written atomically if possible, else over
 * the old file in place (it already owns its disk block, so that needs no new space), and if
 * even that fails the `running` summary is removed, so nothing is left claiming a live run.
 * The first error is rethrown.
 */
export function writeStatusFile(file: string, value: unknown): void {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    writeFileAtomic(file, text);
  } catch (error) {
    try {
      const fd = openSync(file, 'r+');
      try {
        const bytes = Buffer.from(text);
        writeSync(fd, bytes, 0, bytes.length, 0);
        ftruncateSync(fd, bytes.length);
      } finally {
        closeSync(fd);
      }
    } catch {
      try {
        unlinkSync(file);
      } catch {
        // nothing more can be done on this device
      }
    }
    throw error;
  }
}
