import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const exp = join(process.cwd(), 'packages/cli/bin/exp.js');

/**
 * Writes `yaml` to `<dir>/<name>.yaml` and runs `exp sweep` on it into `<dir>/<name>`, as a user
 * would. Spawned asynchronously, so a load-average sampler keeps ticking (and two can run at once).
 */
export async function sweepProcess(
  dir: string,
  name: string,
  yaml: string,
  parallel: number,
): Promise<{ out: string; wall: number }> {
  const config = join(dir, `${name}.yaml`);
  const out = join(dir, name);
  writeFileSync(config, yaml);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [exp, 'sweep', config, '--out', out, '--parallel', String(parallel), '--no-plots'],
    { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`exp sweep ${name} failed (${code}):\n${stderr}`);
  return { out, wall: (performance.now() - started) / 1000 };
}
