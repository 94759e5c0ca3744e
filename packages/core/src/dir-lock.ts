import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeError } from './atomic-write.ts';
import { AnnealError } from './errors.ts';

/** The lock file in a run or sweep directory. */
export const LOCK_FILE = 'anneal.lock';

/** Who holds a directory. A pid alone proves nothing after a reboot or on another host. */
export interface LockOwner {
  host: string;
  pid: number;
  /** When the process started (Linux: `starttime` of /proc/PID/stat), so a reused pid is not mistaken for the owner. */
  startTime: string | null;
  /** Refreshed every HEARTBEAT_MS; another host's lock is live until it is EXPIRE_MS old. */
  heartbeat: string;
  command: string;
}

export const HEARTBEAT_MS = 10_000;
export const EXPIRE_MS = 60_000;

/** The start time of a process, or null where it cannot be read (no /proc, or the process is gone). */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Is the owner still running? On this host: its pid is alive and started when the lock says
 * (a pid reused by another process does not count). On another host we cannot look, so the
 * lock is live until its heartbeat is older than `expireMs`.
 */
export function ownerIsLive(owner: LockOwner, expireMs = EXPIRE_MS, now = Date.now()): boolean {
  if (owner.host !== hostname()) return now - Date.parse(owner.heartbeat) < expireMs;
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !pidAlive(owner.pid)) return false;
  const started = processStartTime(owner.pid);
  return started === null || owner.startTime === null || started === owner.startTime;
}

/** The lock file's owner, or undefined when there is none (or it is unreadable, e.g. half-written by a crash). */
export function readLock(dir: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as LockOwner;
    return typeof owner?.pid === 'number' && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

export interface DirLock {
  readonly owner: LockOwner;
  release(): void;
}

const describe = (o: LockOwner) =>
  `${o.command || 'exp'} (pid ${o.pid} on ${o.host}, started ${o.startTime ?? 'at an unknown time'}, last heartbeat ${o.heartbeat})`;

/**
 * Own `dir` for this process: one `exp run`/`exp sweep` writes a directory at a time. The lock is
 * created with O_EXCL; a lock whose owner is dead (see ownerIsLive) is taken over, a live one
 * refuses with DIR_LOCKED (exit 2). The heartbeat is refreshed until `release()`, which also
 * runs at process exit.
 */
export function lockDir(
  dir: string,
  what: string,
  options: { heartbeatMs?: number; expireMs?: number; command?: string } = {},
): DirLock {
  const file = join(dir, LOCK_FILE);
  const owner: LockOwner = {
    host: hostname(),
    pid: process.pid,
    startTime: processStartTime(process.pid),
    heartbeat: new Date().toISOString(),
    command: options.command ?? `exp ${process.argv.slice(2).join(' ')}`.trim(),
  };
  const text = () => `${JSON.stringify(owner, null, 2)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, text(), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw writeError(file, error);
    }
    const held = readLock(dir);
    if (held && ownerIsLive(held, options.expireMs)) {
      throw new AnnealError('DIR_LOCKED', `${dir}: this ${what} directory is in use by ${describe(held)}`, {
        hint:
          held.host === hostname()
            ? `wait for it to finish or stop it (kill ${held.pid}); only one process may write a ${what} directory`
            : `it runs on another host; its lock counts as live until the heartbeat is ${Math.round((options.expireMs ?? EXPIRE_MS) / 1000)} s old`,
      });
    }
    // Stale (or unreadable): move it aside under a name of our own, so that of two processes
    // taking over at once only one succeeds; if what we moved is a live lock after all
    // (someone else took over in between), put it back.
    const aside = `${file}.stale-${process.pid}`;
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = safeRead(aside);
    if (moved && ownerIsLive(moved, options.expireMs)) {
      try {
        linkSync(aside, file);
      } catch {
        // someone else holds it now; the next attempt reads theirs
      }
    }
    try {
      unlinkSync(aside);
    } catch {
      // already gone
    }
  }
  const beat = setInterval(() => {
    owner.heartbeat = new Date().toISOString();
    const current = readLock(dir);
    if (!current || current.pid !== owner.pid || current.host !== owner.host) return;
    try {
      writeFileSync(`${file}.tmp-${process.pid}`, text());
      renameSync(`${file}.tmp-${process.pid}`, file);
    } catch {
      // a full disk must not kill the run over a heartbeat; the next beat tries again
    }
  }, options.heartbeatMs ?? HEARTBEAT_MS);
  beat.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(beat);
    process.off('exit', release);
    const current = readLock(dir);
    if (current && current.pid === owner.pid && current.host === owner.host) {
      try {
        unlinkSync(file);
      } catch {
        // the directory is gone or read-only: nothing to release
      }
    }
  };
  process.on('exit', release);
  return { owner, release };
}

function safeRead(file: string): LockOwner | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}
