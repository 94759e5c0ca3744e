import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnnealError } from '@anneal/core';
import { writeStatusFile } from './files.ts';

// A real full disk: a small tmpfs filled to the last byte (mounting needs root).
let disk = '';
afterAll(() => disk && execFileSync('umount', [disk]));

function fullDisk(): string {
  disk = mkdtempSync(join(tmpdir(), 'anneal-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', disk], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`this test mounts a tmpfs and needs root: ${(error as Error).message}`);
  }
  return disk;
}

describe('writeStatusFile on a full disk', () => {
  it('still replaces a `running` status (in place), reports the path, and leaves no temp file', () => {
    const dir = fullDisk();
    const file = join(dir, 'summary.json');
    writeFileSync(file, JSON.stringify({ status: 'running', pid: 1 }));
    try {
      for (let i = 0; ; i++) writeFileSync(join(dir, `filler-${i}`), Buffer.alloc(4096));
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    let thrown: unknown;
    try {
      writeStatusFile(file, { status: 'failed', message: 'cannot write x: no space left on the device' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AnnealError);
    expect((thrown as AnnealError).message).toMatch(/no space left on the device/);
    expect(JSON.parse(readFileSync(file, 'utf8')).status).toBe('failed');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
