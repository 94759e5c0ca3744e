// Build, pack and install the published packages the way a user gets them: `pnpm -r pack` (which
// applies each package's publishConfig and turns workspace:* into versions), then plain npm in a
// fresh folder outside the workspace, with every @anneal/* name pinned to its tarball through
// `overrides` so that nothing of that scope comes from the registry. Used by scripts/pack-test.mjs
// and by the start-up benchmark (bench/startup.ts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('..', import.meta.url));
const pnpm = ['-y', 'pnpm@12.4.2'];

/** The environment of a user's shell: none of the npm_* / pnpm variables a `pnpm <script>` sets. */
export function userEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|PNPM)/i.test(k)));
  return { ...env, CI: '1', ...extra };
}

const log = (text) => process.stderr.write(`${text}\n`);

/** Runs a step quietly; on failure prints its output (tsdown's errors go to stdout). */
function step(command, args, options) {
  try {
    execFileSync(command, args, { ...options, stdio: 'pipe', encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (error) {
    log(`${error.stdout ?? ''}${error.stderr ?? ''}`.slice(-8000));
    throw new Error(`${command} ${args.join(' ')} failed (exit ${error.status})`);
  }
}

/** `{ dir, tarballs }`: a folder where `npm install` put the tarballs of every published package. */
export function packAndInstall({ build = true, extraDependencies = {} } = {}) {
  const work = mkdtempSync(join(tmpdir(), 'anneal-pack-'));
  if (!relative(repo, work).startsWith('..')) throw new Error(`${work} is inside the workspace`);
  if (build) {
    log('== pnpm build');
    step('npx', [...pnpm, 'build'], { cwd: repo, env: { ...process.env, NO_COLOR: '1' } });
  }
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  log('== pnpm -r pack');
  step('npx', [...pnpm, '-r', 'pack', '--pack-destination', tarballs], { cwd: repo });
  // Published = not private; the tarballs of test-utils and the examples are packed but not installed.
  const pinned = {};
  for (const dir of readdirSync(join(repo, 'packages'))) {
    const pkg = JSON.parse(readFileSync(join(repo, 'packages', dir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    const file = `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
    if (!readdirSync(tarballs).includes(file)) throw new Error(`pnpm pack made no ${file}`);
    pinned[pkg.name] = `file:${join(tarballs, file)}`;
  }
  const dir = join(work, 'project');
  mkdirSync(dir);
  const tfjs = JSON.parse(readFileSync(join(repo, 'packages/trainer/package.json'), 'utf8')).dependencies[
    '@tensorflow/tfjs'
  ];
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'my-anneal-project',
        private: true,
        type: 'module',
        dependencies: {
          '@anneal/cli': pinned['@anneal/cli'],
          '@anneal/core': pinned['@anneal/core'],
          '@anneal/trainer': pinned['@anneal/trainer'],
          '@anneal/schedule-cosine-warmup': pinned['@anneal/schedule-cosine-warmup'],
          '@tensorflow/tfjs': tfjs,
          ...extraDependencies,
        },
        overrides: pinned,
      },
      null,
      2,
    ),
  );
  log(`== npm install in ${dir}`);
  step('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: userEnv() });
  return { dir, tarballs, pinned };
}
