/**
 * The restart cycle holding integer time t, for cycles of period · mult^i (SGDR's T_0 and T_mult,
 * timm's cycle length and multiplier). PyTorch and timm find it with a logarithm, which can land one
 * cycle off at exact boundaries; cycle lengths are integers, so summing them is exact (and takes
 * O(log t) steps when mult ≥ 2). Shared by the schedules that restart.
 */
export function cycleAt(t: number, period: number, mult: number): { index: number; since: number; length: number } {
  if (mult === 1) return { index: Math.floor(t / period), since: t % period, length: period };
  let index = 0;
  let start = 0;
  let length = period;
  while (t >= start + length) {
    start += length;
    length *= mult;
    index++;
  }
  return { index, since: t - start, length };
}
