import { AnnealError } from '../errors.ts';
import { getPath, parsePath } from '../paths.ts';

const OPS = ['>=', '<=', '==', '!=', '>', '<'] as const;
type Op = (typeof OPS)[number];

/** A side of a constraint: a sum/difference of key paths and numbers, e.g. `schedule.warmup + schedule.hold`. */
function evalSide(text: string, config: unknown, whole: string): number {
  // Operators need spaces around them, so that 1e-5 stays a number.
  const terms = text.trim().split(/\s+([+-])\s+/);
  let total = 0;
  let sign = 1;
  for (const term of terms) {
    if (term === '+' || term === '-') {
      sign = term === '+' ? 1 : -1;
      continue;
    }
    const value = /^-?\d*\.?\d+(e[-+]?\d+)?$/i.test(term) ? Number(term) : getPath(config, parsePath(term));
    if (typeof value !== 'number') {
      throw new AnnealError(
        'CONFIG_INVALID',
        `sweep.exclude "${whole}": \`${term}\` is ${value === undefined ? 'not set' : 'not a number'}`,
        {
          hint: 'constraints compare numeric keys and numbers, e.g. "schedule.warmup + schedule.hold >= train.epochs"',
        },
      );
    }
    total += sign * value;
  }
  return total;
}

/** Evaluate a constraint like `schedule.warmup >= train.epochs` against a resolved config. */
export function evalConstraint(expression: string, config: unknown): boolean {
  const op = OPS.find((o) => expression.includes(o));
  if (!op)
    throw new AnnealError('CONFIG_INVALID', `sweep.exclude "${expression}" has no comparison`, {
      hint: `use one of ${OPS.join(' ')}`,
    });
  const [left, right] = expression.split(op);
  const a = evalSide(left, config, expression);
  const b = evalSide(right, config, expression);
  const compare: Record<Op, boolean> = {
    '>=': a >= b,
    '<=': a <= b,
    '==': a === b,
    '!=': a !== b,
    '>': a > b,
    '<': a < b,
  };
  return compare[op];
}
