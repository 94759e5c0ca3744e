import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editorSchema, loadExperiment } from '@anneal/core';
import { builtinRegistry } from '../src/root.ts';
import { repoRoot } from './exp.ts';

const files = [
  ...readdirSync(join(repoRoot, 'configs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('configs', f)),
  ...readdirSync(join(repoRoot, 'configs/schedules')).map((f) => join('configs/schedules', f)),
  'examples/custom-schedule/noam.yaml',
];

describe('configs/ and examples/', () => {
  const schema = editorSchema(builtinRegistry());

  it('schema/experiment.schema.json is what `exp schema` prints now', () => {
    const committed = JSON.parse(readFileSync(join(repoRoot, 'schema/experiment.schema.json'), 'utf8'));
    expect(committed, 'regenerate it: pnpm exp schema > schema/experiment.schema.json').toEqual(schema);
  });

  it('holds the seed experiment and one config per schedule family', () => {
    const names = files.map((f) => parse(readFileSync(join(repoRoot, f), 'utf8')).schedule?.name);
    for (const family of [
      'cosine-warmup',
      'step',
      'multistep',
      'exponential',
      'polynomial',
      'linear',
      'cosine-restarts',
      'cyclical',
      'one-cycle',
      'sequence',
      'constant',
      'product',
      'inverse-time',
      'piecewise-constant',
      'noise',
      'warmup',
    ]) {
      expect(names, family).toContain(family);
    }
  });

  for (const file of files) {
    it(`${file} is valid for editors (exp schema) and for anneal`, async () => {
      const text = readFileSync(join(repoRoot, file), 'utf8');
      expect(text).toMatch(/^# yaml-language-server: \$schema=/);
      const loaded = await loadExperiment(join(repoRoot, file), [], builtinRegistry());
      expect(loaded.errors).toEqual([]);
      // A config with its own plugins is checked against `exp schema --config FILE`, which knows them.
      const ajv = new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(loaded.config!.plugins.length ? editorSchema(loaded.registry) : schema);
      if (!validate(parse(text))) expect.fail(JSON.stringify(validate.errors, null, 2));
    });
  }
});
