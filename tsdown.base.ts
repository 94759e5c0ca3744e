import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'tsdown';

const tsconfig = fileURLToPath(new URL('./tsconfig.build.json', import.meta.url));

/**
 * How every published package builds (`pnpm build`): ESM for Node 20 plus bundled `.d.ts`
 * into `dist/`. Dependencies, the sibling `@anneal/*` packages included, stay imports; only a
 * package's own files are bundled. The workspace itself runs and tests the sources.
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
    ...extra,
  }) as UserConfig;
}
