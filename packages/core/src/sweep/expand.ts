import { AnnealError } from '../errors.ts';
import { limits } from '../limits.ts';
import type { SweepConfig, SweepParameter } from '../config-types.ts';

/** One point of the search: dotted key → value. */
export type SweepPoint = Record<string, unknown>;

/** mulberry32: a small, well-known seeded PRNG, so a random sweep is the same every time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const isRange = (p: SweepParameter): p is Extract<SweepParameter, { min: number }> => !Array.isArray(p);

/**
 * Grid: the product over keys, except that keys named together in `zip` vary in step (their
 * lists must be equally long). Random: `trials` points, lists sampled uniformly and ranges
 * uniformly (in log space with `log`), from a generator seeded by `seed`.
 */
export function expandSweep(
  sweep: Pick<SweepConfig, 'method' | 'parameters' | 'zip' | 'trials'> & { repeats?: number },
  seed: number,
): SweepPoint[] {
  const keys = Object.keys(sweep.parameters);
  if (keys.length === 0)
    throw new AnnealError('CONFIG_INVALID', 'nothing to sweep', {
      hint: 'add `sweep.parameters` to the config, or pass key=a,b,c on the command line',
    });
  // TPE proposes its points while the sweep runs, from the results so far (packages/sweep).
  if (sweep.method === 'tpe') {
    checkSize(sweep.trials, sweep.repeats);
    return [];
  }
  if (sweep.method === 'random') {
    checkSize(sweep.trials, sweep.repeats);
    const next = seededRandom(seed ^ 0x5eed);
    return Array.from({ length: sweep.trials }, () =>
      Object.fromEntries(keys.map((k) => [k, sampleParameter(sweep.parameters[k], next)])),
    );
  }
  for (const k of keys) {
    if (isRange(sweep.parameters[k]))
      throw new AnnealError('CONFIG_INVALID', `sweep parameter ${k} is a range, which only random search can sample`, {
        hint: 'set sweep.method=random (and sweep.trials), or give a list of values',
      });
  }
  const groups: string[][] = [];
  const zipped = new Set<string>();
  for (const group of sweep.zip ?? []) {
    for (const k of group) {
      if (!keys.includes(k))
        throw new AnnealError('CONFIG_INVALID', `sweep.zip names ${k}, which is not a swept parameter`, {
          hint: `swept: ${keys.join(', ')}`,
        });
      zipped.add(k);
    }
    const lengths = new Set(group.map((k) => (sweep.parameters[k] as unknown[]).length));
    if (lengths.size > 1)
      throw new AnnealError('CONFIG_INVALID', `sweep.zip [${group.join(', ')}]: the lists must be equally long`, {
        hint: 'give every key of a zip group as many values as the others',
      });
    groups.push(group);
  }
  for (const k of keys) if (!zipped.has(k)) groups.push([k]);
  // Counted before anything is built: a product of a few long lists is already huge.
  checkSize(
    groups.reduce((n, group) => n * (sweep.parameters[group[0]] as unknown[]).length, 1),
    sweep.repeats,
  );
  let points: SweepPoint[] = [{}];
  for (const group of groups) {
    const n = (sweep.parameters[group[0]] as unknown[]).length;
    points = points.flatMap((p) =>
      Array.from({ length: n }, (_, i) => ({
        ...p,
        ...Object.fromEntries(group.map((k) => [k, (sweep.parameters[k] as unknown[])[i]])),
      })),
    );
  }
  // Keep the keys in the order they were declared, whatever the zip grouping did.
  return points.map((p) => Object.fromEntries(keys.map((k) => [k, p[k]])));
}

function checkSize(points: number, repeats = 1): void {
  if (points * repeats <= limits.sweepTrials) return;
  throw new AnnealError(
    'CONFIG_LIMIT',
    `the sweep has ${points * repeats} trials (${points} points × ${repeats} repeats), more than ${limits.sweepTrials}`,
    { hint: 'sweep fewer values, or use sweep.method=random with sweep.trials (docs/config.md#limits)' },
  );
}

/**
 * One random value of a parameter, as Optuna's RandomSampler draws it: uniform on the range (in log
 * space for `log`); an integer range is uniform on [min − ½, max + ½] and rounded, so every integer,
 * the two ends included, is equally likely. TPE's start-up trials draw with it too.
 */
export function sampleParameter(
  p: SweepParameter | readonly unknown[] | { min: number; max: number; log?: boolean; int?: boolean },
  next: () => number,
): unknown {
  if (Array.isArray(p)) return p[Math.min(p.length - 1, Math.floor(next() * p.length))];
  const r = p as { min: number; max: number; log?: boolean; int?: boolean };
  const half = r.int ? 0.5 : 0;
  const to = (x: number) => (r.log ? Math.log(x) : x);
  const [lo, hi] = [to(r.min - half), to(r.max + half)];
  const y = lo + next() * (hi - lo);
  const x = r.log ? Math.exp(y) : y;
  return r.int ? Math.min(r.max, Math.max(r.min, Math.round(x))) : Math.min(r.max, Math.max(r.min, x));
}
