/**
 * The restart cycle holding integer time t, for cycles of period · mult^i. timm finds it with a
 * logarithm; cycle lengths are integers here, so summing them is exact at every boundary.
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
