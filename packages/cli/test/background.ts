import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './exp.ts';

const bin = join(repoRoot, 'packages/cli/bin/exp.js');
const children: ChildProcess[] = [];

/** For afterEach: every background `exp` a test left running is killed. */
export function killBackground(): void {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** A background `exp …` whose output is kept, to wait for what it prints. */
export function background(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [bin, ...args], { cwd: repoRoot, env });
  children.push(child);
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  child.stdout!.on('data', (d) => (log += d));
  const exited = new Promise<number>((r) => child.once('exit', (code, signal) => r(code ?? (signal ? 128 : -1))));
  return {
    child,
    exited,
    log: () => log,
    async waitFor(pattern: RegExp, what = String(pattern), timeoutMs = 120_000) {
      const start = Date.now();
      while (!pattern.test(log)) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}; output:\n${log}`);
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}) before ${what}; output:\n${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

export const testPrefix = () => `test-${Math.random().toString(36).slice(2, 10)}`;

/** `exp worker` with one slot on the queue at `url`, prefix `p`, run directories under `out`. */
export const startWorker = (url: string, out: string, p: string, env: NodeJS.ProcessEnv) =>
  background(['worker', url, '--out', out, '--prefix', p, '--concurrency', '1'], env);
