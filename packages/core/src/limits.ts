/**
 * Bounds on the work any input can cause. Real configs are a few kilobytes with tens of keys;
 * these are orders of magnitude above that and far below what makes validation slow or the
 * process run out of memory. docs/config.md and docs/errors.md list them.
 */
export const limits = {
  /** Bytes in one config file. */
  fileBytes: 1024 * 1024,
  /** Mapping keys in one config file, all levels together. */
  keys: 10_000,
  /** Items in one list, in a file or reached by an override index. */
  listLength: 10_000,
  /** YAML aliases (`*name`) in one file; a few suffice for real configs, and bombs need many. */
  aliases: 100,
  /** Trials in one sweep (points × repeats, or random trials × repeats). */
  sweepTrials: 10_000,
} as const;

/**
 * Keys that would reach an object's prototype when assigned (`a.__proto__.x=1` sets
 * Object.prototype.x). They are never meaningful config keys, so they are refused everywhere.
 */
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenKey(key: string | number): boolean {
  return typeof key === 'string' && forbiddenKeys.has(key);
}
