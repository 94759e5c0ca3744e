import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Issue } from './errors.ts';
import { showNumber } from './finite.ts';
import { isPlainObject, joinPath } from './paths.ts';
import { suggestionHint } from './suggest.ts';

/**
 * All errors at once, no type coercion (a quoted "5" is not a number), defaults filled in.
 * strict: false lets plugin authors annotate schemas (e.g. `x-duration`) without ajv refusing them.
 */
const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: false, verbose: true });
const compiled = new WeakMap<object, ValidateFunction>();

/** Validate `data` in place (defaults are written into it) and return the problems as issues. */
export function validateAgainst(schema: object, data: unknown, prefix: string): Issue[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
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
