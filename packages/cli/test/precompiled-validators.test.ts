// The bin's build validates built-in configs with ajv standalone code compiled ahead of time
// (src/precompile-validators.ts) instead of ajv compiling the schemas at run time (the workspace
// and these tests). The two must agree on every input: the verdict, each error, the defaults filled in.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  ajvOptions,
  experimentSchema,
  optimizerNames,
  optimizerSchema,
  schemaKey,
  type SchemaValidator,
} from '@anneal/core';
import { builtinSchemas, precompiledValidatorsModule } from '../src/precompile-validators.ts';
import { builtinRegistry } from '../src/root.ts';
import { repoRoot } from './exp.ts';

/** The generated module, evaluated as CommonJS with ajv's runtime helpers resolvable from here. */
function loadGenerated(): Record<string, SchemaValidator> {
  const module = { exports: {} as { precompiledValidators: Record<string, SchemaValidator> } };
  new Function('module', 'exports', 'require', precompiledValidatorsModule(builtinSchemas(), { esm: false }))(
    module,
    module.exports,
    createRequire(import.meta.url),
  );
  return module.exports.precompiledValidators;
}

const wrongValues = [null, 'x', '', -1, 0, 0.5, 1e12, true, [], [1, 'a'], {}, { bogus: 1 }];

/** A value the schema likely accepts: its default, first enum value, or one of its type. */
function exampleOf(schema: any): unknown {
  if (!schema || typeof schema !== 'object') return 1;
  if ('default' in schema) return structuredClone(schema.default);
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  const branch = schema.anyOf ?? schema.oneOf;
  if (branch) return exampleOf(branch[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object') return objectExample(schema);
  if (type === 'array')
    return schema.minItems ? Array.from({ length: schema.minItems }, () => exampleOf(schema.items)) : [];
  return { string: 'a', number: 1, integer: 1, boolean: true, null: null }[type as string] ?? 1;
}

const objectExample = (schema: any) =>
  Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, s]) => [k, exampleOf(s)]));

/** `value`, and copies of it with each key (two levels deep) removed, replaced by a wrong value, or one added. */
function* variations(value: unknown, depth = 2): Generator<unknown> {
  yield value;
  if (depth === 0 || !value || typeof value !== 'object' || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  yield { ...record, bogus: 1 };
  for (const key of Object.keys(record)) {
    const { [key]: _, ...without } = record;
    yield without;
    for (const wrong of wrongValues) yield { ...record, [key]: wrong };
    for (const inner of variations(record[key], depth - 1))
      if (inner !== record[key]) yield { ...record, [key]: inner };
  }
}

const configs = [
  ...readdirSync(join(repoRoot, 'configs'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join('configs', f)),
  ...readdirSync(join(repoRoot, 'configs/schedules')).map((f) => join('configs/schedules', f)),
].map((file) => parse(readFileSync(join(repoRoot, file), 'utf8')) as Record<string, any>);

/** The inputs each schema is tried on: generic shapes, examples from the schema, the repo's configs. */
function inputsFor(schema: any): unknown[] {
  const inputs: unknown[] = [undefined, null, 'x', 1, [], {}, ...variations(objectExample(schema))];
  if (schema === experimentSchema) for (const config of configs) inputs.push(...variations(config));
  return inputs;
}

describe('validators compiled ahead of time (the bin) and at run time (sources)', () => {
  const precompiled = loadGenerated();
  const schemas = builtinSchemas();

  it('cover every schema a built-in config meets: the experiment, each optimizer, each built-in plugin', () => {
    const expected = [
      experimentSchema,
      ...optimizerNames.map(optimizerSchema),
      ...builtinRegistry()
        .list()
        .map((p) => p.schema as object),
    ];
    expect(expected.length).toBeGreaterThan(20);
    for (const schema of expected) expect(Object.keys(precompiled)).toContain(schemaKey(schema));
    expect(Object.keys(precompiled).length).toBe(schemas.length);
  });

  it('a schema changed since the build has another key, so its stale validator is never used', () => {
    const changed = structuredClone(experimentSchema) as any;
    changed.properties.name.description += '.';
    expect(schemaKey(changed)).not.toBe(schemaKey(experimentSchema));
    expect(schemaKey(structuredClone(experimentSchema))).toBe(schemaKey(experimentSchema));
  });

  for (const [i, schema] of schemas.entries()) {
    const title = (schema as any).$id ?? (schema as any).description ?? `schema ${i}`;
    it(`agree on ${title}`, () => {
      const runtime = new Ajv(ajvOptions).compile(schema);
      const ahead = precompiled[schemaKey(schema)];
      let rejected = 0;
      let accepted = 0;
      for (const input of inputsFor(schema)) {
        const [a, b] = [structuredClone(input), structuredClone(input)];
        const verdict = runtime(a);
        expect(ahead(b), JSON.stringify(input)).toBe(verdict);
        // verbose errors carry the data and the (parent) schema: compared by content.
        expect(JSON.parse(JSON.stringify(ahead.errors ?? null))).toEqual(
          JSON.parse(JSON.stringify(runtime.errors ?? null)),
        );
        expect(b, 'defaults filled in alike').toEqual(a);
        if (verdict) accepted++;
        else rejected++;
      }
      // The inputs reach both the error paths and the happy one (where defaults are filled in).
      expect(rejected).toBeGreaterThan(0);
      expect(accepted).toBeGreaterThan(0);
    });
  }
});
