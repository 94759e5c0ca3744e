import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { packageBuild } from '../../tsdown.base.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * ajv's standalone code for the built-in schemas in place of src/precompiled-validators.ts (whose
 * source is an empty table). It is generated from the workspace sources, through tsx, in a child
 * process: the config itself is bundled by tsdown and cannot import TypeScript packages.
 */
const precompiledValidators = {
  name: 'anneal:precompiled-validators',
  load(id: string) {
    if (id !== here('./src/precompiled-validators.ts')) return null;
    return execFileSync(process.execPath, [here('./bin/run-ts.js'), here('./src/precompile-validators.ts')], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
  },
};

export default [
  // The library (`import … from '@anneal/cli'`): its dependencies stay imports, as in every package.
  packageBuild(['src/index.ts']),
  // The processes: the `exp` bin and the sweep worker (forked by path, beside the library's chunks).
  // Each is bundled with its pure-JS dependencies into a few files, since Node resolving and
  // loading hundreds of small CommonJS files was most of `exp`'s start-up (docs/benchmarks.md).
  // @anneal/* stay imports (one @anneal/core in a process, the one user plugins import too), and
  // so does tfjs, which the trainer loads only to train.
  packageBuild(['src/main.ts', 'src/sweep-worker.ts'], {
    clean: false,
    dts: false,
    deps: { alwaysBundle: (id: string) => !/^@(anneal|tensorflow)\//.test(id) },
    plugins: [precompiledValidators],
  }),
];
