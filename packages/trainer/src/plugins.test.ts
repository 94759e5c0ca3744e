import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { datasets, models } from './plugins.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every local file `entry` imports, transitively (relative `.ts` imports only). */
function localImports(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  for (const [, spec] of source.matchAll(/^import[^'"]*from '(\.[^']+)';/gm))
    localImports(path.resolve(path.dirname(entry), spec), seen);
  return seen;
}

describe('built-in plugins', () => {
  it('are datasets and models with unique names', () => {
    expect(datasets.map((p) => p.name)).toEqual(['mnist', 'iris', 'csv', 'synthetic']);
    expect(models.map((p) => p.name)).toEqual(['mlp', 'cnn', 'file']);
    for (const p of datasets) expect(p.kind).toBe('dataset');
    for (const p of models) expect(p.kind).toBe('model');
  });

  it('have closed option schemas with a description on every option', () => {
    for (const p of [...datasets, ...models]) {
      const schema = p.schema as {
        type: string;
        additionalProperties: boolean;
        properties: Record<string, { description?: string }>;
      };
      expect(schema.type, p.name).toBe('object');
      expect(schema.additionalProperties, p.name).toBe(false);
      for (const [key, option] of Object.entries(schema.properties))
        expect(option.description, `${p.name}.${key}`).toBeTruthy();
    }
  });

  it('every dataset can count its training examples without tensors', () => {
    for (const p of datasets) expect(typeof p.count, p.name).toBe('function');
  });

  it('never import tfjs at runtime (only `import type`), so exp validate stays cheap', () => {
    const files = localImports(path.join(here, 'plugins.ts'));
    expect(files.size).toBeGreaterThan(8);
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      const runtime = source.match(/^import (?!type )[^;]*'@tensorflow\/[^']+'/gm) ?? [];
      const dynamic = source.match(/(?<!typeof )import\(\s*'@tensorflow\/[^']+'\s*\)/g) ?? [];
      expect([...runtime, ...dynamic], path.relative(here, file)).toEqual([]);
    }
  });
});
