import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/index.ts';

const packages = fileURLToPath(new URL('../../', import.meta.url));

/** Every non-test TypeScript source of every package. */
function sources(): Array<{ file: string; text: string }> {
  return readdirSync(packages).flatMap((pkg) =>
    (readdirSync(join(packages, pkg), { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
      .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.test.ts'))
      .map((d) => join(d.parentPath, d.name))
      .filter((file) => file.includes(`${pkg}/src/`))
      .map((file) => ({ file, text: readFileSync(file, 'utf8') })),
  );
}

// As fastify does: the catalogue of codes in code and in docs must not drift apart.
describe('docs/errors.md', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
  const rows = [...doc.matchAll(/^\| `(\w+)` \| (\d) \| (.+) \|$/gm)].map(([, code, exit, solve]) => ({
    code,
    exit: Number(exit),
    solve,
  }));

  it('lists every code with its exit code and how to solve it', () => {
    expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(errorCodes).sort());
    for (const row of rows) {
      const entry = errorCodes[row.code as keyof typeof errorCodes];
      expect(row.exit, row.code).toBe(entry.exit);
      expect(row.solve, row.code).toBe(entry.solve);
    }
  });

  // `new AnnealError('CODE'`, also over line breaks and as the fallback of `own?.code ?? 'CODE'`.
  const thrown = new Map<string, string[]>();
  for (const { file, text } of sources())
    for (const [, code] of text.matchAll(/new AnnealError\(\s*(?:[\w?.]+\s*\?\?\s*)?'(\w+)'/g))
      thrown.set(code, [...(thrown.get(code) ?? []), file]);

  it('every code in the catalogue is thrown somewhere', () => {
    const never = Object.keys(errorCodes).filter((code) => !thrown.has(code));
    expect(never, 'codes in docs/errors.md that no source throws').toEqual([]);
  });

  it('every code thrown is in the catalogue', () => {
    const unknown = [...thrown.keys()].filter((code) => !(code in errorCodes));
    expect(unknown, 'codes thrown but missing from docs/errors.md').toEqual([]);
  });

  it('user-facing packages throw no plain Error', () => {
    // Not user-facing: the reference ports of PyTorch/Keras that tests compare against, the
    // test helpers, the wasm kernels (written to be offered to tfjs, so they import nothing of
    // anneal; a kernel error is a tfjs error), and an invariant marked `unreachable`.
    const plain = sources()
      .filter(
        ({ file }) =>
          !file.endsWith('reference.ts') && !file.includes('/test-utils/') && !file.includes('/wasm-kernels/'),
      )
      .flatMap(({ file, text }) =>
        [...text.matchAll(/throw new Error\((?!'unreachable)/g)].map(
          (m) => `${file}:${text.slice(0, m.index).split('\n').length}`,
        ),
      );
    expect(plain).toEqual([]);
  });
});
