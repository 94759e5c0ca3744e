// Build time only (not part of dist/): ajv's standalone code for every schema the built-in registry
// validates against, which the bin's build (tsdown.config.ts) puts in place of
// precompiled-validators.ts. Run as a script, it prints that module.
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { ajvOptions, experimentSchema, optimizerNames, optimizerSchema, schemaKey } from '@anneal/core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtinRegistry } from './root.ts';

/** Every schema a built-in config is validated against: the experiment, each optimizer, each built-in plugin. */
export function builtinSchemas(): object[] {
  const schemas = [
    experimentSchema,
    ...optimizerNames.map(optimizerSchema),
    ...builtinRegistry()
      .list()
      .map((plugin) => plugin.schema as object),
  ];
  // Two plugins may share one schema's content; one validator serves both.
  return [...new Map(schemas.map((schema) => [schemaKey(schema), schema])).values()];
}

/**
 * A module exporting `precompiledValidators` (schemaKey → validator), compiled with core's ajv
 * options: ES module for the bundler, CommonJS for a test to evaluate as it is. ajv's standalone code
 * `require`s its runtime helpers (`ajv/dist/runtime/…`) in both; the bundler inlines them.
 */
export function precompiledValidatorsModule(schemas = builtinSchemas(), { esm = true } = {}): string {
  const ajv = new Ajv({ ...ajvOptions, code: { source: true, esm } });
  const names = schemas.map((schema, i) => {
    ajv.addSchema(schema, `v${i}`);
    return `v${i}`;
  });
  const code = standaloneCode(ajv, Object.fromEntries(names.map((name) => [name, name])));
  const table = schemas
    .map((schema, i) => `  ${JSON.stringify(schemaKey(schema))}: ${esm ? '' : 'exports.'}${names[i]},`)
    .join('\n');
  const exported = esm ? 'export const precompiledValidators' : 'exports.precompiledValidators';
  return `${code}\n\n// schemaKey → validator (see precompiled-validators.ts)\n${exported} = {\n${table}\n};\n`;
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  process.stdout.write(precompiledValidatorsModule());
}
