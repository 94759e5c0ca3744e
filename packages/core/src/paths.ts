/** Dotted key paths (`schedule.parts.0.length`) are how users name keys, in overrides and in messages. */
export type Path = (string | number)[];

export function parsePath(path: string): Path {
  return path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function formatPath(path: Path): string {
  return path.join('.');
}

export function joinPath(prefix: string, rest: string): string {
  return prefix && rest ? `${prefix}.${rest}` : prefix || rest;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function getPath(data: unknown, path: Path): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}
