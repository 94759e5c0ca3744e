// `pnpm test:pack` (and .ci/run): the packed tarballs, installed with plain npm in an empty folder,
// do what README and docs/api.md promise — `npx exp` commands, a TypeScript schedule plugin
// checked by tsc against the shipped .d.ts and loaded from a config, and the library examples.
// Usage: node scripts/pack-test.mjs [--no-build] [--keep] [--dir PROJECT (reuse an install)]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packAndInstall, repo, userEnv } from './pack-install.mjs';

const args = process.argv.slice(2);
const results = [];
function check(name, fn) {
  try {
    fn();
    results.push(true);
    console.log(`ok - ${name}`);
  } catch (error) {
    results.push(false);
    console.log(`not ok - ${name}\n  ${String(error?.message ?? error).replaceAll('\n', '\n  ')}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const reuse = args.includes('--dir') ? args[args.indexOf('--dir') + 1] : undefined;
const { dir } = reuse
  ? { dir: reuse }
  : packAndInstall({
      build: !args.includes('--no-build'),
      extraDependencies: { typescript: '5.9.3', '@types/node': '^20.19.0' },
    });
const sh = (command, commandArgs, options = {}) => {
  const r = spawnSync(command, commandArgs, {
    cwd: dir,
    env: userEnv(),
    encoding: 'utf8',
    timeout: 600_000,
    ...options,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', all: `${r.stdout}${r.stderr}` };
};
const npx = (...a) => sh('npx', ['--no-install', ...a]);
const ok = (r, what) => assert(r.code === 0, `${what} exited ${r.code}:\n${r.all.slice(-1500)}`);
const json = (file) => JSON.parse(readFileSync(join(dir, file), 'utf8'));

copyFileSync(join(repo, 'configs/iris.yaml'), join(dir, 'iris.yaml'));
// The user's own copy: no $schema line pointing into the workspace.
writeFileSync(
  join(dir, 'iris.yaml'),
  readFileSync(join(dir, 'iris.yaml'), 'utf8').replace(/^# yaml-language-server.*\n/, ''),
);

check('the installed bin needs no TypeScript loader (no tsx, no pnpm links)', () => {
  assert(!existsSync(join(dir, 'node_modules/tsx')), 'tsx was installed');
  assert(!existsSync(join(dir, 'node_modules/.pnpm')), 'a pnpm layout leaked in');
  const bin = readFileSync(join(dir, 'node_modules/@anneal/cli/bin/exp-dist.js'), 'utf8');
  assert(bin.includes('../dist/main.js'), 'bin does not run dist/main.js');
});

check('npx exp --help', () => {
  const r = npx('exp', '--help');
  ok(r, 'exp --help');
  for (const command of ['run', 'sweep', 'schedule', 'validate'])
    assert(r.stdout.includes(command), `no ${command} in help`);
});

check('npx exp validate iris.yaml', () => {
  const r = npx('exp', 'validate', 'iris.yaml');
  ok(r, 'exp validate');
  assert(/^ok: iris/m.test(r.all), r.all);
});

check('npx exp validate reports a bad config with file:line:col and exit 2', () => {
  writeFileSync(join(dir, 'bad.yaml'), 'extends: ./iris.yaml\noptimizer:\n  name: adamm\n');
  const r = npx('exp', 'validate', 'bad.yaml');
  assert(r.code === 2, `exit ${r.code}`);
  assert(/bad\.yaml:3:\d+/.test(r.stderr) && /adam/.test(r.stderr), r.stderr);
  assert(!/\n\s+at /.test(r.stderr), 'printed a stack trace');
});

check('exp --help, validate, schedule and plugins never load tfjs (built code)', () => {
  copyFileSync(join(repo, 'packages/cli/test/forbid-tfjs.mjs'), join(dir, 'forbid-tfjs.mjs'));
  const bin = join(dir, 'node_modules/@anneal/cli/bin/exp-dist.js');
  for (const command of [['--help'], ['validate', 'iris.yaml'], ['schedule', 'iris.yaml', '--json'], ['plugins']])
    ok(sh(process.execPath, ['--import', './forbid-tfjs.mjs', bin, ...command]), `exp ${command.join(' ')}`);
  const r = sh(process.execPath, ['--import', './forbid-tfjs.mjs', bin, 'run', 'iris.yaml', '--out', 'runs/forbidden']);
  assert(r.code !== 0 && r.all.includes('tfjs was loaded'), `the hook did not catch exp run:\n${r.all}`);
  rmSync(join(dir, 'runs/forbidden'), { recursive: true, force: true });
});

check('npx exp run iris.yaml (short)', () => {
  rmSync(join(dir, 'runs/iris'), { recursive: true, force: true });
  const r = npx('exp', 'run', 'iris.yaml', 'train.epochs=8', '--out', 'runs/iris');
  ok(r, 'exp run');
  const summary = json('runs/iris/summary.json');
  assert(summary.status === 'completed' && summary.epochs === 8, JSON.stringify(summary));
  assert(existsSync(join(dir, 'runs/iris/metrics.csv')), 'no metrics.csv');
});

check('npx exp schedule --plot and --json', () => {
  ok(npx('exp', 'schedule', 'iris.yaml', '--plot', 'lr.svg'), 'exp schedule --plot');
  assert(readFileSync(join(dir, 'lr.svg'), 'utf8').includes('<svg'), 'lr.svg is not an SVG');
  const r = npx('exp', 'schedule', 'iris.yaml', '--json');
  ok(r, 'exp schedule --json');
  const { unit, lr } = JSON.parse(r.stdout);
  // cosine-warmup, per epoch: 0 → 0.02 over 5 epochs, cosine to 1e-4 at epoch 60.
  const ref = (t) => (t < 5 ? (0.02 * t) / 5 : 1e-4 + 0.5 * (0.02 - 1e-4) * (1 + Math.cos((Math.PI * (t - 5)) / 55)));
  assert(unit === 'epoch' && lr.length >= 60, `unit ${unit}, ${lr.length} values`);
  for (const [t, v] of lr.slice(0, 60).entries()) assert(Math.abs(v - ref(t)) < 1e-12, `t=${t}: ${v} vs ${ref(t)}`);
});

check('npx exp sweep (worker processes from the built package)', () => {
  rmSync(join(dir, 'sweep'), { recursive: true, force: true });
  const r = npx(
    'exp',
    'sweep',
    'iris.yaml',
    'train.epochs=6',
    'schedule.warmup=0,2',
    '--out',
    'sweep',
    '--parallel',
    '2',
    '--no-plots',
  );
  ok(r, 'exp sweep');
  const rows = readFileSync(join(dir, 'sweep/results.csv'), 'utf8').trim().split('\n').slice(1);
  assert(rows.length === 2 && rows.every((row) => row.includes('completed')), rows.join('\n'));
});

// A user's schedule plugin in TypeScript, type-checked against the shipped .d.ts.
mkdirSync(join(dir, 'src'), { recursive: true });
copyFileSync(join(repo, 'examples/custom-schedule/noam.ts'), join(dir, 'noam.ts'));
writeFileSync(
  join(dir, 'tsconfig.json'),
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      // tfjs-layers' own .d.ts fail a full check (TS2411), so libraries are not re-checked; the
      // next check proves that the shipped types are real (each misuse must fail).
      skipLibCheck: true,
      types: ['node'],
      outDir: 'build',
    },
    files: ['noam.ts', 'src/schedule.ts', 'src/callback.ts', 'src/run.ts', 'src/sweep.ts'],
  }),
);
for (const name of ['schedule', 'callback', 'run', 'sweep'])
  copyFileSync(join(repo, `examples/api/${name}.ts`), join(dir, `src/${name}.ts`));

check('tsc type-checks the plugin and the docs/api.md examples against the shipped .d.ts', () => {
  ok(npx('tsc', '-p', '.'), 'tsc');
});

check('tsc rejects misuse of the shipped types (plugin options, createSchedule, scheduleCallback)', () => {
  writeFileSync(
    join(dir, 'bad-plugin.ts'),
    readFileSync(join(dir, 'noam.ts'), 'utf8').replace(
      'const { warmup, dModel = 512 } = options;',
      'const { warmup, dModel = 512 } = options;\n    warmup.toUpperCase();',
    ),
  );
  writeFileSync(
    join(dir, 'bad-usage.ts'),
    [
      "import { createSchedule } from '@anneal/core';",
      "import { schedules } from '@anneal/schedule-cosine-warmup';",
      "import { scheduleCallback } from '@anneal/trainer';",
      "const lr = createSchedule(schedules, { name: 'cosine-warmup', epsilon: 'small' }, { base: 1, total: 10 });",
      "scheduleCallback(lr, { unit: 'minute' });",
      '',
    ].join('\n'),
  );
  const flags = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'NodeNext', '--moduleResolution', 'NodeNext'];
  const r = npx('tsc', ...flags, '--target', 'ES2022', 'bad-plugin.ts', 'bad-usage.ts');
  const expected = [
    /bad-plugin\.ts\(\d+,\d+\): error.*toUpperCase/,
    /bad-usage\.ts\(4,\d+\): error/,
    /bad-usage\.ts\(5,\d+\): error/,
  ];
  for (const line of expected) assert(line.test(r.all), `tsc did not report ${line}:\n${r.all}`);
});

check('exp schedule loads the .ts plugin from the config and follows its formula', () => {
  writeFileSync(
    join(dir, 'noam.yaml'),
    'extends: ./iris.yaml\nname: iris-noam\nplugins: [./noam.ts]\nschedule:\n  name: noam\n  unit: step\n  warmup: 10\n',
  );
  const r = npx('exp', 'schedule', 'noam.yaml', '--json');
  ok(r, 'exp schedule noam.yaml');
  const { unit, lr } = JSON.parse(r.stdout);
  const base = 0.02;
  // Peak = base at t = warmup − 1; before it ∝ (t+1), after it ∝ (t+1)^−½.
  const ref = (t) => (t < 10 ? (base * (t + 1)) / 10 : base * Math.sqrt(10 / (t + 1)));
  assert(unit === 'step' && lr.length > 100, `unit ${unit}, ${lr.length} values`);
  for (const [t, v] of lr.entries()) assert(Math.abs(v / ref(t) - 1) < 1e-12, `t=${t}: ${v} vs ${ref(t)}`);
  ok(npx('exp', 'plugins', 'schedule', '--config', 'noam.yaml'), 'exp plugins --config');
});

check('exp validate and schedule check built-in configs with validators compiled at build time (no ajv)', () => {
  // Any attempt to load ajv fails; core requires it only for a schema the build did not compile.
  writeFileSync(
    join(dir, 'forbid-ajv.cjs'),
    `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'ajv' || request.startsWith('ajv/')) throw new Error('ajv was loaded: ' + request);
  return resolve.call(this, request, ...rest);
};
`,
  );
  const bin = join(dir, 'node_modules/@anneal/cli/bin/exp-dist.js');
  for (const command of [
    ['validate', 'iris.yaml'],
    ['schedule', 'iris.yaml', '--json'],
  ])
    ok(sh(process.execPath, ['--require', './forbid-ajv.cjs', bin, ...command]), `exp ${command.join(' ')}`);
  // A user plugin's schema is compiled at run time: the hook catches it (so the checks above can fail).
  const r = sh(process.execPath, ['--require', './forbid-ajv.cjs', bin, 'validate', 'noam.yaml']);
  assert(r.code !== 0 && r.all.includes('ajv was loaded'), `the hook did not catch the plugin's schema:\n${r.all}`);
});

// The library examples, compiled by the tsc run above, each in its own fresh folder.
const example = (name) => {
  const cwd = join(dir, `run-${name}`);
  rmSync(cwd, { recursive: true, force: true });
  mkdirSync(cwd);
  const r = sh(process.execPath, [join(dir, `build/src/${name}.js`)], { cwd });
  ok(r, `docs/api.md ${name} example`);
  return { cwd, stdout: r.stdout };
};
check('docs/api.md: createSchedule example', () => {
  const values = example('schedule').stdout.split('\n')[0].split(' ').map(Number);
  const expected = [0, 0.005, 0.01, 1e-5];
  for (const [i, v] of values.entries()) assert(Math.abs(v - expected[i]) < 1e-12, `${values} vs ${expected}`);
});
check('docs/api.md: scheduleCallback example (model.fit + TensorBoard)', () => {
  const { cwd, stdout } = example('callback');
  assert(/lr by epoch/.test(stdout), stdout);
  assert(
    readdirSync(join(cwd, 'logs/callback')).some((f) => f.startsWith('events.out.tfevents.')),
    'no events',
  );
});
check('docs/api.md: runExperiment example', () => {
  const { cwd } = example('run');
  const [stamp] = readdirSync(join(cwd, 'runs/iris-api'));
  const summary = JSON.parse(readFileSync(join(cwd, 'runs/iris-api', stamp, 'summary.json'), 'utf8'));
  assert(summary.status === 'completed' && summary.epochs === 6, JSON.stringify(summary));
});
check('docs/api.md: runSweep example', () => {
  const { stdout } = example('sweep');
  assert(stdout.startsWith('0 ') && (stdout.match(/completed/g) ?? []).length === 2, stdout);
});

const passed = results.filter(Boolean).length;
console.log(`pack test: ${passed} of ${results.length} checks passed (${dir})`);
if (!args.includes('--keep') && passed === results.length) rmSync(join(dir, '..'), { recursive: true, force: true });
process.exit(passed === results.length ? 0 : 1);
