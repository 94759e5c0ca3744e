import { describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';

// [[1,2],[3,4]] · [[5,6],[7,8]] worked by hand.
const product = [
  [19, 22],
  [43, 50],
];

describe('selectBackend', () => {
  for (const name of ['cpu', 'wasm'] as const) {
    it(`loads ${name} and computes a matmul`, async () => {
      const { tf, backend, reason } = await selectBackend(name);
      expect(backend).toBe(name);
      expect(tf.getBackend()).toBe(name);
      expect(reason).toContain(name);
      const c = tf.tidy(() =>
        tf.matMul(
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([
            [5, 6],
            [7, 8],
          ]),
        ),
      );
      expect(await c.array()).toEqual(product);
      c.dispose();
    });
  }

  it('reports SIMD or not for wasm', async () => {
    const { reason } = await selectBackend('wasm');
    expect(reason).toMatch(/SIMD/);
  });

  it('auto falls back past the missing tfjs-node and says why', async () => {
    const { backend, reason } = await selectBackend('auto');
    // tfjs-node is deliberately not a dependency, so auto must land on wasm here.
    expect(backend).toBe('wasm');
    expect(reason).toMatch(/^auto: tfjs-node not installed \(.*\); using wasm/);
  });

  it('says it in one plain line, without the loader error (kept in full in `reason`)', async () => {
    const { note, reason } = await selectBackend('auto');
    expect(note).toMatch(/^tfjs-node not installed; using wasm \((no )?SIMD, (1 thread|multi-threaded)\)$/);
    expect(reason).toMatch(/Cannot find (package|module)/);
  });

  it('throws a clear error when tensorflow is requested but tfjs-node is absent', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/'tensorflow' is not available: tfjs-node not installed/);
  });

  it('rejects an unknown name', async () => {
    await expect(selectBackend('webgpu' as never)).rejects.toThrow(/Unknown backend 'webgpu'/);
  });
});
