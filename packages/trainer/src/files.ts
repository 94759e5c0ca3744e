import { writeFileAtomic } from '@anneal/core';

// One atomic write for the whole workspace (core's): whole file or nothing, no temp litter,
// and a full disk or read-only directory reported with the path.
export { writeFileAtomic };

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`);
}
