import { accessSync, constants, existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AnnealError } from './errors.ts';

/**
 * A failed write as the user should read it: which path (the one the error names, else
 * `file`), and why in words (a full disk, a read-only directory) rather than a bare errno.
 * Other errors pass through unchanged.
 */
export function writeError(file: string | undefined, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  // The path the system call names is the most precise; a bare write(fd) names none.
  file = (error as NodeJS.ErrnoException)?.path ?? file;
  if (file === undefined || error instanceof AnnealError) return error;
  const hint = 'free space or make the directory writable, then continue with `--resume`';
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new AnnealError('WRITE_FAILED', `cannot write ${file}: no space left on the device`, { cause: error, hint });
  if (code === 'ENOENT' && (error as NodeJS.ErrnoException).syscall === 'mkdir') {
    // Node's recursive mkdir reports ENOENT when a parent cannot be created on a read-only
    // file system: look at the deepest directory that exists instead.
    let parent = dirname(file);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      return new AnnealError('WRITE_FAILED', `cannot write to ${parent} (read-only)`, { cause: error, hint });
    }
  }
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
