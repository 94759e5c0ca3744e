// Test helpers: run the same computation on the cpu backend (the reference) and on wasm, and
// check that the wasm kernels leave no tensor or backend data behind.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { expect } from 'vitest';
import { registerWasmKernels } from './index.ts';

const require = createRequire(import.meta.url);
export const tf: typeof import('@tensorflow/tfjs') = require('@tensorflow/tfjs');
const wasm: typeof import('@tensorflow/tfjs-backend-wasm') = require('@tensorflow/tfjs-backend-wasm');
wasm.setWasmPaths(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep);
tf.enableProdMode();
registerWasmKernels(tf);

/** Deterministic uniform values in [-1, 1) (mulberry32), so a failure can be replayed. */
export function randomValues(seed: number, size: number): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** A seeded random integer in [lo, hi]. */
export function pick(seed: number, lo: number, hi: number): number {
  return lo + Math.floor(((randomValues(seed, 1)[0] + 1) / 2) * (hi - lo + 1));
}

/**
 * Runs `compute` (which makes its own inputs) on `backend` inside a tidy and returns the values
 * and shape. On wasm it also checks that the tensor count and the backend's data count are
 * flat, i.e. every intermediate the kernels made was freed.
 */
export async function runOn(
  backend: 'cpu' | 'wasm',
  compute: () => Tensor,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const tensors = tf.memory().numTensors;
  const dataIds = tf.backend().numDataIds();
  const out = tf.tidy(compute);
  const result = { values: out.dataSync() as Float32Array, shape: out.shape };
  out.dispose();
  expect(tf.memory().numTensors).toBe(tensors);
  expect(tf.backend().numDataIds()).toBe(dataIds);
  return result;
}

/**
 * wasm against cpu: |w − c| ≤ 1e-5·|c| + atol. The absolute term covers results that cancel
 * to near zero, where float32 summation order alone moves the last digits; `scale` is the size
 * of the terms summed (e.g. the inner dimension for values in [-1, 1]).
 */
export async function expectSameOnWasmAsCpu(compute: () => Tensor, scale: number): Promise<void> {
  const cpu = await runOn('cpu', compute);
  const wasmOut = await runOn('wasm', compute);
  expect(wasmOut.shape).toEqual(cpu.shape);
  const atol = 1e-6 * Math.max(1, scale);
  let worst = { i: -1, excess: 0 };
  cpu.values.forEach((c, i) => {
    const excess = Math.abs(wasmOut.values[i] - c) - (1e-5 * Math.abs(c) + atol);
    if (!(excess <= worst.excess)) worst = { i, excess };
  });
  if (worst.i >= 0)
    expect.fail(
      `element ${worst.i}: wasm ${wasmOut.values[worst.i]} vs cpu ${cpu.values[worst.i]} (shape ${cpu.shape.join('×')})`,
    );
}
