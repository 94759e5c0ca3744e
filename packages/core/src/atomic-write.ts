import { mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnealError } from './errors.ts';

/**
 * A failed write as the user should read it: which path, and why in words (a full disk, a
 * read-only directory) rather than a bare errno. Other errors pass through unchanged.
 */
export function writeError(file: string | undefined, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  file ??= (error as NodeJS.ErrnoException)?.path;
  if (file === undefined || error instanceof AnnealError) return error;
  const hint = 'free space or make the directory writable, then continue with `--resume`';
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AnnealError('WRITE_FAILED', `cannot write ${file}: no space left on the device`, { cause: error, hint });
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
    return new AnnealError('WRITE_FAILED', `cannot write to ${dirname(file)} (read-only)`, { cause: error, hint });
  if (code === 'EIO' || code === 'EFBIG')
    return new AnnealError('WRITE_FAILED', `cannot write ${file}: ${(error as Error).message}`, { cause: error, hint });
  return error;
}

/**
 * Write a whole file or nothing: a killed process leaves the old file or none, never a
 * truncated one (summary.json and results are read by sweeps and `exp report`). A failed write
 * removes its temporary file, so no `*.tmp-PID` is left behind.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw writeError(file, error);
  }
}
