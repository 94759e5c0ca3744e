import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const pkg = (name: string) => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    // Workspace packages resolve to their sources, so tests never need a build (STYLE.md #15).
    alias: {
      '@anneal/core': pkg('core'),
      '@anneal/plot': pkg('plot'),
      '@anneal/trainer/plugins': fileURLToPath(new URL('./packages/trainer/src/plugins.ts', import.meta.url)),
      '@anneal/trainer/tensorboard': fileURLToPath(new URL('./packages/trainer/src/tensorboard.ts', import.meta.url)),
      '@anneal/trainer': pkg('trainer'),
      '@anneal/schedule-step/reference': fileURLToPath(
        new URL('./packages/schedule-step/src/reference.ts', import.meta.url),
      ),
      '@anneal/schedule-step': pkg('schedule-step'),
      '@anneal/schedule-cosine-warmup/reference': fileURLToPath(
        new URL('./packages/schedule-cosine-warmup/src/reference.ts', import.meta.url),
      ),
      '@anneal/schedule-cosine-warmup': pkg('schedule-cosine-warmup'),
      '@anneal/schedule-cyclical/reference': fileURLToPath(
        new URL('./packages/schedule-cyclical/src/reference.ts', import.meta.url),
      ),
      '@anneal/schedule-cyclical': pkg('schedule-cyclical'),
      '@anneal/schedule-timm/reference': fileURLToPath(
        new URL('./packages/schedule-timm/src/reference.ts', import.meta.url),
      ),
      '@anneal/schedule-timm': pkg('schedule-timm'),
      '@anneal/sweep': pkg('sweep'),
      '@anneal/test-utils': pkg('test-utils'),
      '@anneal/cli': pkg('cli'),
    },
  },
  test: {
    setupFiles: ['./vitest.setup.ts'],
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
