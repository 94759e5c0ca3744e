import { parse } from 'yaml';
import { AnnealError } from '../errors.ts';
import type { SweepParameter } from '../config-types.ts';

/** Split on commas that are not inside brackets or quotes: `0,[1,2],3` → `0`, `[1,2]`, `3`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) quote = c === quote ? '' : quote;
    else if (c === '"' || c === "'") quote = c;
    else if ('[{('.includes(c)) depth++;
    else if (']})'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

const RANGE = /^range\(([^,]+),([^,]+)((?:,\s*(?:log|int))*)\)$/;

/**
 * Hydra-style sweep values on the command line: `key=a,b,c` is a list, and
 * `key=range(1e-4,1e-2,log)` a range for random search (flags: `log`, `int`). Returns undefined
 * for a plain override (a single value).
 */
export function parseSweepValue(text: string): SweepParameter | undefined {
  const range = RANGE.exec(text.replace(/\s+/g, ''));
  if (range) {
    const [min, max] = [Number(range[1]), Number(range[2])];
    const flags = range[3];
    if (!Number.isFinite(min) || !Number.isFinite(max) || min >= max) {
      throw new AnnealError('OVERRIDE_SYNTAX', `\`${text}\`: a range needs two numbers, min < max`, {
        hint: 'e.g. optimizer.learningRate=range(1e-4,1e-2,log)',
      });
    }
    if (flags.includes('log') && min <= 0)
      throw new AnnealError('OVERRIDE_SYNTAX', `\`${text}\`: a log range needs min > 0`);
    return { min, max, log: flags.includes('log'), int: flags.includes('int') };
  }
  const parts = splitTopLevel(text);
  if (parts.length < 2) return undefined;
  return parts.map((p) => parse(p) ?? null);
}

/** Turn `exp sweep` arguments into plain overrides and swept parameters. */
export function splitSweepArgs(args: string[]): { overrides: string[]; parameters: Record<string, SweepParameter> } {
  const overrides: string[] = [];
  const parameters: Record<string, SweepParameter> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const values = eq > 0 && !arg.startsWith('~') ? parseSweepValue(arg.slice(eq + 1)) : undefined;
    if (values) parameters[arg.slice(0, eq)] = values;
    else overrides.push(arg);
  }
  return { overrides, parameters };
}
