import type { SchemaValidator } from '@anneal/core';

/**
 * ajv validators of the built-in schemas, compiled ahead of time, by `schemaKey`. Empty here:
 * from sources (the workspace, its tests) and in the library build, each schema is compiled when
 * first used. The build of the `exp` bin and the sweep worker (tsdown.config.ts) puts ajv's
 * standalone code for every built-in schema in this module's place (precompile-validators.ts),
 * so that `exp validate` / `schedule` on a built-in config neither load ajv nor compile a schema.
 */
export const precompiledValidators: Record<string, SchemaValidator> = {};
