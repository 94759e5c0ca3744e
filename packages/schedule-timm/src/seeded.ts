/**
 * Small seeded generators for learning-rate noise. timm reseeds torch's generator with
 * `seed + t` at every t, so the noise at t depends on t alone; the same holds here, which keeps
 * a schedule a pure function of time. torch's Mersenne Twister cannot be matched bit for bit
 * without porting it, so anneal matches timm's distributions instead (tested statistically).
 * Ten lines of a known generator (mulberry32, seeded through splitmix32) need no dependency.
 */
export function uniformStream(seed: number): () => number {
  // splitmix32 of the seed spreads neighbouring seeds (t and t + 1) across the state space.
  let h = (seed | 0) + 0x9e3779b9;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  let state = (h ^ (h >>> 16)) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw by Box–Muller from two uniforms (1 − u keeps the logarithm finite). */
export function standardNormal(uniform: () => number): number {
  const u1 = 1 - uniform();
  const u2 = uniform();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
