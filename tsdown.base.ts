import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type TsdownHooks, type UserConfig } from 'tsdown';

const tsconfig = fileURLToPath(new URL('./tsconfig.build.json', import.meta.url));

type BuildDone = Parameters<TsdownHooks['build:done']>[0];

/**
 * dist/THIRD-PARTY-LICENSES.md: the licence of every package bundled into dist/ (MIT and ISC ask
 * that the notice travel with the code). Nothing is written when a build bundles no package.
 */
function writeBundledLicences({ options, chunks }: BuildDone): void {
  const dirs = new Set<string>();
  for (const chunk of chunks)
    for (const id of chunk.type === 'chunk' ? chunk.moduleIds : []) {
      // The last node_modules/<name> of the path (pnpm nests them in node_modules/.pnpm/…).
      const found = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll('\\', '/'));
      if (found) dirs.add(found[1]);
    }
  if (dirs.size === 0) return;
  const sections = [...dirs].map((dir) => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
    const text = file
      ? readFileSync(join(dir, file), 'utf8').trim()
      : `(no licence file; package.json says ${pkg.license})`;
    return `## ${pkg.name} ${pkg.version} (${pkg.license})\n\n${text}\n`;
  });
  const head = '# Third-party code bundled into this directory\n\n';
  writeFileSync(join(options.outDir, 'THIRD-PARTY-LICENSES.md'), head + [...new Set(sections)].sort().join('\n'));
}

/**
 * How every published package builds (`pnpm build`): ESM for Node 20 plus bundled `.d.ts`
 * into `dist/`. Dependencies, the sibling `@anneal/*` packages included, stay imports; only a
 * package's own files are bundled, unless its config bundles some dependencies (`deps`) for
 * start-up (core, and the `exp` bin). The workspace itself runs and tests the sources.
 */
export function packageBuild(entry: string[], { deps, ...extra }: UserConfig = {}): UserConfig {
  return defineConfig({
    entry,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outDir: 'dist',
    clean: true,
    fixedExtension: false,
    tsconfig,
    dts: { tsconfig },
    // tfjs and siblings stay imports in .d.ts too: a user's own tfjs types must be the same ones.
    deps: { neverBundle: [/^@tensorflow\//, /^@anneal\//], ...deps },
    hooks: { 'build:done': writeBundledLicences },
    ...extra,
  }) as UserConfig;
}
