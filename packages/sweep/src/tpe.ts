import { sampleParameter } from '@anneal/core';
import jstat from 'jstat';

const { jStat } = jstat;

/**
 * The Tree-structured Parzen Estimator, as Optuna's TPESampler does it by default (univariate:
 * each parameter on its own): the first `startupTrials` points are drawn at random; after that
 * the finished trials are split into the best γ(n) = min(⌈0.1·n⌉, 25) ("below") and the rest
 * ("above"), each side becomes a Parzen estimator — one truncated normal per observation plus a
 * prior over the whole range, with Optuna's neighbour bandwidths and magic clip — and of 24
 * candidates drawn from the good density l(x) the one with the largest log l(x) − log g(x) wins.
 * Log ranges live in log space; integer ranges are discretised on [min − ½, max + ½] as Optuna's
 * step distributions are; a list of values is a categorical choice with Optuna's smoothing.
 *
 * Pure: the caller passes the history and a seeded uniform generator, so a proposal sequence is
 * reproducible from the sweep's own record.
 */

export type TpeParameter = readonly unknown[] | { min: number; max: number; log?: boolean; int?: boolean };

export interface TpeObservation {
  point: Record<string, unknown>;
  /** The ranking metric: its final value for a completed trial, the last one for a pruned trial. */
  value: number;
  state: 'completed' | 'pruned';
  /** Epochs the trial ran (ranks pruned trials: later is better, as Optuna's last step). */
  epochs: number;
}

export interface TpeOptions {
  goal: 'max' | 'min';
  startupTrials: number;
  candidates: number;
  priorWeight: number;
}

export const tpeDefaults = { startupTrials: 10, candidates: 24, priorWeight: 1 } as const;

const EPS = 1e-12;

/** Optuna's default_gamma. */
export const gamma = (n: number) => Math.min(Math.ceil(0.1 * n), 25);

/** Optuna's default_weights: flat for the newest 25, a linear ramp up to them for older ones. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return Array(n).fill(1);
  const ramp = Array.from({ length: n - 25 }, (_, i) => (n - 25 === 1 ? 1 / n : 1 / n + (i * (1 - 1 / n)) / (n - 26)));
  return [...ramp, ...Array(25).fill(1)];
}

/** Optuna's _split_trials for one objective: completed by value, then pruned by (epochs, value). */
export function splitTrials(
  history: readonly TpeObservation[],
  goal: 'max' | 'min',
): { below: TpeObservation[]; above: TpeObservation[] } {
  const better = (a: number, b: number) => (goal === 'max' ? b - a : a - b);
  const completed = history.filter((h) => h.state === 'completed').sort((a, b) => better(a.value, b.value));
  const pruned = history
    .filter((h) => h.state === 'pruned')
    .sort((a, b) => b.epochs - a.epochs || better(a.value, b.value));
  const ordered = [...completed, ...pruned];
  const n = gamma(history.length);
  // Each side keeps trial order, so the weights (older trials weigh less) follow the history.
  const below = new Set(ordered.slice(0, n));
  return { below: history.filter((h) => below.has(h)), above: history.filter((h) => !below.has(h)) };
}

/** One side's density (l or g) over one parameter, as Optuna's _ParzenEstimator holds it. */
export interface Mixture {
  /** Kernel weights, the prior's last; they sum to 1. */
  weights: number[];
  logPdf(x: number): number;
  sample(u: () => number): number;
}

const phi = (x: number) => jStat.normal.cdf(x, 0, 1);
const phiInv = (p: number) => jStat.normal.inv(p, 0, 1);
const logSumExp = (xs: number[]) => {
  const m = Math.max(...xs);
  return m === -Infinity ? m : m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
};
/** log(Φ(b) − Φ(a)), taken on the side of zero where it does not cancel (Optuna's _log_gauss_mass). */
const logGaussMass = (a: number, b: number) =>
  a >= 0 ? Math.log(phi(-a) - phi(-b)) : b <= 0 ? Math.log(phi(b) - phi(a)) : Math.log(1 - phi(a) - phi(-b));

function pickKernel(weights: number[], u: number): number {
  let acc = 0;
  for (let k = 0; k < weights.length; k++) {
    acc += weights[k];
    if (u < acc) return k;
  }
  return weights.length - 1;
}

/** Optuna's _calculate_numerical_distributions (univariate): mus, sigmas, then the prior. */
export function parzenNumerical(
  observations: readonly number[],
  low: number,
  high: number,
): { mus: number[]; sigmas: number[] } {
  const priorMu = 0.5 * (low + high);
  const withPrior = [...observations, priorMu];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a] - withPrior[b]);
  const sorted = [low, ...order.map((i) => withPrior[i]), high];
  const sortedSigmas = order.map((_, j) => Math.max(sorted[j + 1] - sorted[j], sorted[j + 2] - sorted[j + 1]));
  // consider_endpoints=False: the outermost kernels take their inner gap, not the gap to the bound.
  if (sorted.length >= 4) {
    sortedSigmas[0] = sorted[2] - sorted[1];
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2] - sorted[sorted.length - 3];
  }
  const sigmasWithPrior: number[] = Array(withPrior.length);
  order.forEach((i, j) => {
    sigmasWithPrior[i] = sortedSigmas[j];
  });
  const maxSigma = high - low;
  // The magic clip: n_kernels counts the prior.
  const minSigma = (high - low) / Math.min(100, 1 + observations.length + 1);
  const sigmas = sigmasWithPrior.slice(0, observations.length).map((s) => Math.min(Math.max(s, minSigma), maxSigma));
  return { mus: [...observations, priorMu], sigmas: [...sigmas, high - low] };
}

type Range = { min: number; max: number; log?: boolean; int?: boolean };

/**
 * A numerical parameter's mixture of truncated normals. As in Optuna: a float range (log or not)
 * is a continuous truncnorm on [low, high] (in log space for `log`); a linear integer range is
 * discretised, each kernel's mass on [x − ½, x + ½] (step 1) of [min − ½, max + ½]; a log integer
 * range is continuous on [log(min − ½), log(max + ½)] and samples are rounded (Optuna's log-int
 * "hack", parzen_estimator.py), its density taken at the log of the integer.
 */
export function numericalMixture(observations: readonly number[], weights: number[], range: Range): Mixture {
  const to = (x: number) => (range.log ? Math.log(x) : x);
  const from = (y: number) => (range.log ? Math.exp(y) : y);
  const half = range.int ? 0.5 : 0;
  const discrete = Boolean(range.int && !range.log);
  const low = to(range.min - half);
  const high = to(range.max + half);
  const { mus, sigmas } = parzenNumerical(observations.map(to), low, high);
  const logMass = mus.map((m, k) => logGaussMass((low - m) / sigmas[k], (high - m) / sigmas[k]));
  const round = (x: number) => Math.min(range.max, Math.max(range.min, Math.round(x)));
  return {
    weights,
    logPdf(x) {
      const terms = mus.map((m, k) => {
        let logP: number;
        if (discrete) {
          const a = Math.max(x - 0.5, low);
          const b = Math.min(x + 0.5, high);
          logP = logGaussMass((a - m) / sigmas[k], (b - m) / sigmas[k]) - logMass[k];
        } else {
          const z = (to(x) - m) / sigmas[k];
          logP = -0.5 * z * z - Math.log(Math.sqrt(2 * Math.PI) * sigmas[k]) - logMass[k];
        }
        return logP + Math.log(weights[k]);
      });
      return logSumExp(terms);
    },
    sample(u) {
      const k = pickKernel(weights, u());
      const a = phi((low - mus[k]) / sigmas[k]);
      const b = phi((high - mus[k]) / sigmas[k]);
      const p = Math.min(Math.max(a + u() * (b - a), EPS), 1 - EPS);
      const y = Math.min(Math.max(mus[k] + sigmas[k] * phiInv(p), low), high);
      const x = from(y);
      return range.int ? round(x) : Math.min(Math.max(x, range.min), range.max);
    },
  };
}

/** Optuna's _calculate_categorical_distributions: each observation adds 1 to its choice, the prior spreads. */
export function categoricalMixture(
  observed: readonly number[],
  weights: number[],
  nChoices: number,
  priorWeight: number,
): Mixture {
  const nKernels = observed.length + 1;
  const rows = Array.from({ length: nKernels }, (_, k) => {
    const row = Array(nChoices).fill(priorWeight / nKernels);
    if (k < observed.length) row[observed[k]] += 1;
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((w) => w / sum);
  });
  return {
    weights,
    logPdf: (c: number) => Math.log(rows.reduce((a, row, k) => a + weights[k] * row[c], 0)),
    sample(u: () => number) {
      return pickKernel(rows[pickKernel(weights, u())], u());
    },
  };
}

/** Optuna's kernel weights: default_weights(n) for the observations, prior_weight for the prior, normalised. */
export function kernelWeights(n: number, priorWeight: number): number[] {
  const w = n === 0 ? [1] : [...defaultWeights(n), priorWeight];
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** Optuna's RandomSampler, as random search draws (core's `sampleParameter`): TPE's start-up trials. */
export const sampleRandom: (p: TpeParameter, u: () => number) => unknown = sampleParameter;

/** The good (l) or bad (g) density of one parameter over the given observed values. */
export function parzenEstimator(p: TpeParameter, values: readonly unknown[], priorWeight: number): Mixture {
  const w = kernelWeights(values.length, priorWeight);
  if (Array.isArray(p)) {
    const keys = p.map((c) => JSON.stringify(c));
    return categoricalMixture(
      values.map((v) => keys.indexOf(JSON.stringify(v))).filter((i) => i >= 0),
      w,
      p.length,
      priorWeight,
    );
  }
  return numericalMixture(values as number[], w, p as Range);
}

/** One parameter's proposal: of `candidates` draws from l(x), the first with the largest log l(x) − log g(x). */
function proposeOne(
  p: TpeParameter,
  below: unknown[],
  above: unknown[],
  u: () => number,
  options: Pick<TpeOptions, 'candidates' | 'priorWeight'>,
): unknown {
  const l = parzenEstimator(p, below, options.priorWeight);
  const g = parzenEstimator(p, above, options.priorWeight);
  let best: number | undefined;
  let bestScore = -Infinity;
  for (let i = 0; i < options.candidates; i++) {
    const x = l.sample(u);
    const score = l.logPdf(x) - g.logPdf(x);
    if (best === undefined || score > bestScore) [best, bestScore] = [x, score];
  }
  return Array.isArray(p) ? p[best!] : best;
}

/** The next point to try, given every finished trial so far (failed ones left out). */
export function proposeTpe(
  parameters: Record<string, TpeParameter>,
  history: readonly TpeObservation[],
  u: () => number,
  options: Partial<TpeOptions> & Pick<TpeOptions, 'goal'>,
): Record<string, unknown> {
  const o = { ...tpeDefaults, ...options };
  const keys = Object.keys(parameters);
  if (history.length < o.startupTrials) return Object.fromEntries(keys.map((k) => [k, sampleRandom(parameters[k], u)]));
  const { below, above } = splitTrials(history, o.goal);
  return Object.fromEntries(
    keys.map((k) => [
      k,
      proposeOne(
        parameters[k],
        below.map((h) => h.point[k]),
        above.map((h) => h.point[k]),
        u,
        o,
      ),
    ]),
  );
}
