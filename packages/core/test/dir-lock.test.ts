import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AnnealError, LOCK_FILE, lockDir, processStartTime, readLock, type LockOwner } from '../src/index.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'anneal-lock-'));
const plant = (d: string, owner: Partial<LockOwner>) =>
  writeFileSync(
    join(d, LOCK_FILE),
    JSON.stringify({
      host: hostname(),
      pid: process.pid,
      startTime: processStartTime(process.pid),
      heartbeat: new Date().toISOString(),
      command: 'exp run --resume x',
      ...owner,
    }),
  );
/** The pid of a process that has exited (pids are not reused this fast). */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AnnealError;
  }
  throw new Error('expected DIR_LOCKED');
};

describe('lockDir', () => {
  it('records host, pid, start time and heartbeat, and release removes the lock', () => {
    const d = dir();
    const lock = lockDir(d, 'run');
    const owner = readLock(d)!;
    expect(owner).toMatchObject({ host: hostname(), pid: process.pid });
    // On Linux the start time is field 22 of /proc/PID/stat, a clock-tick count.
    expect(owner.startTime).toMatch(/^\d+$/);
    expect(Date.now() - Date.parse(owner.heartbeat)).toBeLessThan(60_000);
    lock.release();
    expect(existsSync(join(d, LOCK_FILE))).toBe(false);
  });

  it('refuses a directory held by a live process, naming it (DIR_LOCKED, exit 2)', () => {
    const d = dir();
    const lock = lockDir(d, 'run');
    const e = refusal(() => lockDir(d, 'run'));
    expect(e).toBeInstanceOf(AnnealError);
    expect(e.code).toBe('DIR_LOCKED');
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(`pid ${process.pid} on ${hostname()}`);
    lock.release();
  });

  it('takes over the lock of a dead process on this host', () => {
    const d = dir();
    const pid = deadPid();
    plant(d, { pid, startTime: '1' });
    const lock = lockDir(d, 'run');
    expect(readLock(d)!.pid).toBe(process.pid);
    lock.release();
  });

  it('takes over when the pid is alive but belongs to a process started at another time (pid reused)', () => {
    const d = dir();
    plant(d, { startTime: '12345' });
    const lock = lockDir(d, 'run');
    expect(readLock(d)!.startTime).toBe(processStartTime(process.pid));
    lock.release();
  });

  it("counts another host's lock as live until its heartbeat expires", () => {
    const d = dir();
    plant(d, { host: 'elsewhere.example', pid: 1 });
    expect(refusal(() => lockDir(d, 'sweep')).message).toMatch(/pid 1 on elsewhere\.example/);
    plant(d, { host: 'elsewhere.example', pid: 1, heartbeat: new Date(Date.now() - 61_000).toISOString() });
    const lock = lockDir(d, 'sweep');
    expect(readLock(d)!.host).toBe(hostname());
    lock.release();
  });

  it('takes over a lock file a crash left unreadable', () => {
    const d = dir();
    writeFileSync(join(d, LOCK_FILE), '{"host": "x", "pi');
    lockDir(d, 'run').release();
  });

  it('refreshes the heartbeat while held', async () => {
    const d = dir();
    const lock = lockDir(d, 'run', { heartbeatMs: 20 });
    const first = readFileSync(join(d, LOCK_FILE), 'utf8');
    let later = first;
    for (let i = 0; i < 200 && later === first; i++) {
      await new Promise((r) => setTimeout(r, 10));
      later = readFileSync(join(d, LOCK_FILE), 'utf8');
    }
    expect(Date.parse(JSON.parse(later).heartbeat)).toBeGreaterThan(Date.parse(JSON.parse(first).heartbeat));
    lock.release();
  });
});
