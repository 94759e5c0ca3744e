/**
 * Independent ports of timm's schedulers (timm/scheduler/cosine_lr.py, tanh_lr.py and the noise
 * of scheduler.py), used only by tests: this package's unit tests and the CLI's
 * `exp schedule --json` test (`@anneal/schedule-timm/reference`). They follow timm's own
 * arithmetic in float64 — the warm-up increment, the cycle index from a logarithm when
 * cycle_mul ≠ 1 — for one param group whose initial rate is `base`.
 */

export interface TimmCycleOptions {
  tInitial: number;
  lrMin?: number;
  cycleMul?: number;
  cycleDecay?: number;
  cycleLimit?: number;
  warmupT?: number;
  warmupLrInit?: number;
  warmupPrefix?: boolean;
}

/** timm's cycle bookkeeping, shared by CosineLRScheduler and TanhLRScheduler `_get_lr`. */
function timmCycle(t: number, tInitial: number, cycleMul: number): { i: number; tI: number; tCurr: number } {
  if (cycleMul !== 1) {
    const i = Math.floor(Math.log(1 - (t / tInitial) * (1 - cycleMul)) / Math.log(cycleMul));
    const tI = cycleMul ** i * tInitial;
    const tCurr = t - ((1 - cycleMul ** i) / (1 - cycleMul)) * tInitial;
    return { i, tI, tCurr };
  }
  const i = Math.floor(t / tInitial);
  return { i, tI: tInitial, tCurr: t - tInitial * i };
}

/** Port of timm CosineLRScheduler._get_lr (with k_decay). */
export function timmCosineLR(base: number, o: TimmCycleOptions & { kDecay?: number }): (t: number) => number {
  const lrMin = o.lrMin ?? 0;
  const cycleMul = o.cycleMul ?? 1;
  const cycleDecay = o.cycleDecay ?? 1;
  const cycleLimit = o.cycleLimit ?? 1;
  const warmupT = o.warmupT ?? 0;
  const warmupLrInit = o.warmupLrInit ?? 0;
  const k = o.kDecay ?? 1;
  const warmupStep = warmupT ? (base - warmupLrInit) / warmupT : 1;
  return (t) => {
    if (t < warmupT) return warmupLrInit + t * warmupStep;
    if (o.warmupPrefix) t = t - warmupT;
    const { i, tI, tCurr } = timmCycle(t, o.tInitial, cycleMul);
    const lrMax = base * cycleDecay ** i;
    if (i < cycleLimit) return lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.cos((Math.PI * tCurr ** k) / tI ** k));
    return lrMin;
  };
}

/** Port of timm TanhLRScheduler._get_lr; without warmup_prefix its warm-up aims at _get_lr(warmup_t). */
export function timmTanhLR(base: number, o: TimmCycleOptions & { lb?: number; ub?: number }): (t: number) => number {
  const lb = o.lb ?? -7;
  const ub = o.ub ?? 3;
  const lrMin = o.lrMin ?? 0;
  const cycleMul = o.cycleMul ?? 1;
  const cycleDecay = o.cycleDecay ?? 1;
  const cycleLimit = o.cycleLimit ?? 1;
  const warmupT = o.warmupT ?? 0;
  const warmupLrInit = o.warmupLrInit ?? 0;
  let warmupStep = 1;
  const getLr = (t: number): number => {
    if (t < warmupT) return warmupLrInit + t * warmupStep;
    if (o.warmupPrefix) t = t - warmupT;
    const { i, tI, tCurr } = timmCycle(t, o.tInitial, cycleMul);
    if (i < cycleLimit) {
      const lrMax = base * cycleDecay ** i;
      const tr = tCurr / tI;
      return lrMin + 0.5 * (lrMax - lrMin) * (1 - Math.tanh(lb * (1 - tr) + ub * tr));
    }
    return lrMin;
  };
  if (warmupT) {
    const target = o.warmupPrefix ? base : getLr(warmupT);
    warmupStep = (target - warmupLrInit) / warmupT;
  }
  return getLr;
}

/**
 * Port of timm Scheduler._add_noise / _is_apply_noise, with the draw `noise(t)` supplied (torch's
 * generator is not ported): `rangeT` is noise_range_t, a start or a [start, end) pair.
 */
export function timmAddNoise(
  lr: (t: number) => number,
  rangeT: number | [number, number] | null,
  noise: (t: number) => number,
): (t: number) => number {
  return (t) => {
    const v = lr(t);
    if (rangeT === null) return v;
    const apply = Array.isArray(rangeT) ? rangeT[0] <= t && t < rangeT[1] : t >= rangeT;
    return apply ? v + v * noise(t) : v;
  };
}

/** Port of timm PolyLRScheduler._get_lr (with k_decay and cycles; timm's power defaults to 0.5). */
export function timmPolyLR(
  base: number,
  o: TimmCycleOptions & { power?: number; kDecay?: number },
): (t: number) => number {
  const power = o.power ?? 0.5;
  const lrMin = o.lrMin ?? 0;
  const cycleMul = o.cycleMul ?? 1;
  const cycleDecay = o.cycleDecay ?? 1;
  const cycleLimit = o.cycleLimit ?? 1;
  const warmupT = o.warmupT ?? 0;
  const warmupLrInit = o.warmupLrInit ?? 0;
  const k = o.kDecay ?? 1;
  const warmupStep = warmupT ? (base - warmupLrInit) / warmupT : 1;
  return (t) => {
    if (t < warmupT) return warmupLrInit + t * warmupStep;
    if (o.warmupPrefix) t = t - warmupT;
    const { i, tI, tCurr } = timmCycle(t, o.tInitial, cycleMul);
    const lrMax = base * cycleDecay ** i;
    if (i < cycleLimit) return lrMin + (lrMax - lrMin) * (1 - tCurr ** k / tI ** k) ** power;
    return lrMin;
  };
}
