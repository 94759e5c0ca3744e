/**
 * Seeded randomness for data shuffling, splits and layer seeds. Math.random cannot be seeded,
 * and a run must be reproducible from its `seed` alone, so everything random in the trainer
 * draws from streams made here.
 */

/** A source of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * mulberry32 (Tommy Ettinger): a 32-bit state, full 2^32 period, passes PractRand to several
 * GB — plenty for shuffling and noise, and small enough to read. Not for cryptography.
 */
export function createRng(seed: number): Rng {
  let state = toUint32(seed);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for an independent stream, e.g. `deriveSeed(seed, 'split')` and
 * `deriveSeed(seed, 'init/dense_1')`: a consumer added later does not shift the numbers
 * others draw, as it would if all shared one stream. FNV-1a over the seed and label, then
 * murmur3's finaliser so nearby seeds and labels give unrelated streams.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ toUint32(seed);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

/** Fisher–Yates, in place; returns the same array for chaining. */
export function shuffleInPlace<A extends { length: number; [index: number]: unknown }>(arr: A, rng: Rng): A {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = arr[i];
    arr[i] = arr[j];
    arr[j] = tmp;
  }
  return arr;
}

/** A standard normal draw (Box–Muller; the second value is dropped to keep the Rng stateless). */
export function gaussian(rng: Rng): number {
  // 1 - u keeps the argument of log in (0, 1], never 0.
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Seeds may be any finite number; fold the high bits in so 1 and 2^32 + 1 differ. */
function toUint32(seed: number): number {
  const n = Math.trunc(seed);
  const low = n >>> 0;
  const high = Math.floor(n / 4294967296) >>> 0;
  return fmix32(low ^ Math.imul(high, 0x85ebca6b)) ^ low;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
