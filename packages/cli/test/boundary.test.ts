import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnealError, errorCodes, expCommand } from '@anneal/core';
import { describe, expect, it } from 'vitest';
import { exitCodeOf, toExit } from '../src/boundary.ts';
import { exp, repoRoot } from './exp.ts';

describe('the process boundary', () => {
  it('maps outcomes to exit codes: ok 0, failed or diverged 1, interrupted 130', () => {
    expect([exitCodeOf(undefined), exitCodeOf('ok'), exitCodeOf('failed'), exitCodeOf('interrupted')]).toEqual([
      0, 0, 1, 130,
    ]);
  });

  it('maps errors: config and usage 2, run failures 1, with a hint and no stack', () => {
    const lines: string[] = [];
    expect(toExit(new AnnealError('CONFIG_INVALID', 'bad'), false, (t) => lines.push(t))).toBe(2);
    expect(toExit(new AnnealError('SWEEP_FAILED', 'trials failed'), false, (t) => lines.push(t))).toBe(1);
    expect(toExit(new Error('boom'), false, (t) => lines.push(t))).toBe(1);
    // An error raised without a hint of its own shows its code's how-to-solve line.
    expect(lines[0]).toBe(`error: bad\nhint: ${errorCodes.CONFIG_INVALID.solve}`);
    expect(lines.join('\n')).not.toMatch(/^\s+at /m);
  });

  it('no command exits the process or sets its exit code itself', () => {
    const dir = join(repoRoot, 'packages/cli/src/commands');
    const offenders = readdirSync(dir).filter((f) => /process\.exit(Code)?\b/.test(readFileSync(join(dir, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});

describe('hints print the command as it was invoked', () => {
  const pnpm = {
    npm_lifecycle_event: 'exp',
    npm_command: 'run-script',
    npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.19.0 linux x64',
  };
  const npx = { npm_lifecycle_event: 'npx', npm_command: 'exec', npm_config_user_agent: 'npm/10.8.2 node/v20' };
  const installed = { npm_lifecycle_event: '', npm_command: '', npm_config_user_agent: '' };

  it('pnpm exp in the workspace, npx exp under npx, npm run exp -- under npm, exp when installed', () => {
    expect(expCommand('run --resume d', pnpm)).toBe('pnpm exp run --resume d');
    expect(expCommand('run --resume d', npx)).toBe('npx exp run --resume d');
    expect(expCommand('run --resume d', { npm_lifecycle_event: 'exp', npm_config_user_agent: 'npm/10 node/v20' })).toBe(
      'npm run exp -- run --resume d',
    );
    expect(expCommand('run --resume d', installed)).toBe('exp run --resume d');
  });

  it('in the messages of a real process', async () => {
    const viaPnpm = await exp(['run'], { env: pnpm });
    expect(viaPnpm.code).toBe(2);
    expect(viaPnpm.stderr).toMatch(/hint: pnpm exp run <config\.yaml>.*, or pnpm exp run --resume <run dir>/);
    const viaNpx = await exp(['frobnicate'], { env: npx });
    expect(viaNpx.stderr).toMatch(/`npx exp --help`/);
    const plain = await exp(['sweep'], { env: installed });
    expect(plain.stderr).toMatch(/hint: exp sweep <config\.yaml>/);
  }, 120_000);
});

describe('exp sweep --help', () => {
  it('says how --max-failures changes the exit code', async () => {
    const r = await exp(['sweep', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--max-failures <n>\s+Accept up to n failed trials[\s\S]*exit 1 if any failed/);
  });
});
