import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import type { Issue } from './errors.ts';
import { showNumber } from './finite.ts';
import { isPlainObject, joinPath } from './paths.ts';
import { suggestionHint } from './suggest.ts';

/**
 * All errors at once, no type coercion (a quoted "5" is not a number), defaults filled in.
 * strict: false lets plugin authors annotate schemas (e.g. `x-duration`) without ajv refusing them.
 * Exported for the `exp` bin's build, which compiles the built-in schemas with the same options.
 */
export const ajvOptions = {
  allErrors: true,
  useDefaults: true,
  coerceTypes: false,
  strict: false,
  verbose: true,
} as const satisfies Options;

/** A validator as ajv makes it: true or false, with the problems left in `errors`. */
export type SchemaValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

/** What identifies a schema's content, so that a validator compiled ahead of time is only used for that very schema. */
export const schemaKey = (schema: object): string =>
  createHash('sha256').update(JSON.stringify(schema)).digest('base64url');

const precompiled = new Map<string, SchemaValidator>();
const compiled = new WeakMap<object, SchemaValidator>();
let ajv: Ajv | undefined;

/**
 * Validators compiled ahead of time (ajv's standalone code), by `schemaKey`. The `exp` bin's build
 * compiles the built-in schemas so that a command on a built-in config never loads ajv nor compiles
 * a schema (start-up, docs/benchmarks.md); any other schema (a user plugin's, or one that changed
 * since that build) is compiled when first used, as before.
 */
export function addPrecompiledValidators(validators: Record<string, SchemaValidator>): void {
  for (const [key, validate] of Object.entries(validators)) precompiled.set(key, validate);
}

function validatorFor(schema: object): SchemaValidator {
  let validate = compiled.get(schema) ?? (precompiled.size ? precompiled.get(schemaKey(schema)) : undefined);
  if (!validate) {
    // Loaded on first need (ajv costs tens of ms to load and its meta-schema more to compile).
    ajv ??= new (createRequire(import.meta.url)('ajv') as typeof import('ajv')).Ajv(ajvOptions);
    validate = ajv.compile(schema) as ValidateFunction as SchemaValidator;
  }
  compiled.set(schema, validate);
  return validate;
}

/** Validate `data` in place (defaults are written into it) and return the problems as issues. */
export function validateAgainst(schema: object, data: unknown, prefix: string): Issue[] {
  const validate = validatorFor(schema);
  if (validate(data)) return [];
  return dedupe(validate.errors ?? []).map((e) => toIssue(e, prefix));
}

/** ajv reports every branch of an anyOf; keep the summary and drop errors already implied by a parent. */
function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const anyOfPaths = new Set(
    errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath),
  );
  return errors.filter(
    (e) =>
      e.keyword === 'anyOf' ||
      e.keyword === 'oneOf' ||
      !anyOfPaths.has(e.instancePath) ||
      e.keyword === 'additionalProperties',
  );
}

function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number' && !Number.isFinite(value)) return showNumber(value);
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function toIssue(e: ErrorObject, prefix: string): Issue {
  const path = joinPath(prefix, pointerToPath(e.instancePath));
  const schema = (e.parentSchema ?? {}) as Record<string, any>;
  const description: string | undefined = schema.description;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = e.params.additionalProperty as string;
      return {
        path: joinPath(path, key),
        message: `unknown key \`${key}\``,
        hint: suggestionHint(key, Object.keys(schema.properties ?? {}), 'allowed keys'),
      };
    }
    case 'required': {
      const key = e.params.missingProperty as string;
      const what = schema.properties?.[key]?.description;
      return {
        path: joinPath(path, key),
        message: `missing required key \`${key}\``,
        hint: what ? `add \`${key}:\` — ${what}` : `add \`${key}:\``,
      };
    }
    case 'type':
      return { path, message: `expected ${e.params.type}, got ${describe(e.data)}`, hint: description };
    case 'enum':
      return {
        path,
        message: `${describe(e.data)} is not allowed`,
        hint: suggestionHint(String(e.data), (e.params.allowedValues as unknown[]).map(String)),
      };
    case 'anyOf':
    case 'oneOf':
      return { path, message: `${describe(e.data)} does not match any allowed form`, hint: description };
    default:
      return { path, message: `${e.message ?? 'is invalid'} (got ${describe(e.data)})`, hint: description };
  }
}
