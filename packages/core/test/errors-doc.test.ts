import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCodes } from '../src/index.ts';

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
});
