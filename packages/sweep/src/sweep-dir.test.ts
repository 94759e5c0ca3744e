import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, processStartTime } from '@anneal/core';
import { paths, stopOrphan } from './sweep-dir.ts';

const id = 't-0123456789';

/** A stand-in process, and whether it is still running. */
function sleeper() {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => (exited = true));
  return { pid: child.pid!, running: () => !exited, stop: () => child.kill('SIGKILL') };
}

function trialDir(summary: object, lock?: object) {
  const dir = mkdtempSync(join(tmpdir(), 'anneal-orphan-'));
  mkdirSync(paths.trial(dir, id), { recursive: true });
  writeFileSync(paths.summary(dir, id), JSON.stringify(summary));
  if (lock) writeFileSync(join(paths.trial(dir, id), LOCK_FILE), JSON.stringify(lock));
  return dir;
}

const until = async (test: () => boolean) => {
  for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('stopOrphan', () => {
  it('leaves alone a process whose pid a stale `running` summary names but that is not our worker', async () => {
    const other = sleeper();
    await until(() => processStartTime(other.pid) !== null);
    // The summary of a killed sweep names a pid that now belongs to an unrelated process.
    await stopOrphan(trialDir({ status: 'running', pid: other.pid }), id);
    // A lock naming it with another start time (the pid was reused) does not prove it either.
    const lock = { host: hostname(), pid: other.pid, startTime: '1', heartbeat: new Date().toISOString(), command: '' };
    await stopOrphan(trialDir({ status: 'running', pid: other.pid }, lock), id);
    await new Promise((r) => setTimeout(r, 100));
    expect(other.running()).toBe(true);
    other.stop();
  });

  it('stops the worker the trial lock proves is still running the trial', async () => {
    const worker = sleeper();
    await until(() => processStartTime(worker.pid) !== null);
    const lock = {
      host: hostname(),
      pid: worker.pid,
      startTime: processStartTime(worker.pid),
      heartbeat: new Date().toISOString(),
      command: 'sweep worker',
    };
    await stopOrphan(trialDir({ status: 'running', pid: worker.pid }, lock), id);
    await until(() => !worker.running());
    expect(worker.running()).toBe(false);
  });
});
