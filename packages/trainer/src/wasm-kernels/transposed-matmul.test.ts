import { describe, expect, it } from 'vitest';
import { expectSameOnWasmAsCpu, pick, randomValues, tf } from './compare.ts';
import { isUntransposing } from './transposed-matmul.ts';

it('replaces the wasm BatchMatMul and _FusedMatMul, once', async () => {
  for (const name of ['BatchMatMul', '_FusedMatMul']) expect(isUntransposing(tf.getKernel(name, 'wasm')!)).toBe(true);
  const before = tf.getKernel('BatchMatMul', 'wasm');
  const { registerWasmKernels } = await import('./index.ts');
  registerWasmKernels(tf);
  expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(before);
});

type Case = {
  batchA: number[];
  batchB: number[];
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
};

/** Random odd-ish sizes and batch dims (including a broadcast batch of 1), for each transpose pair. */
function cases(seed: number): Case[] {
  const out: Case[] = [];
  let s = seed;
  for (const transposeA of [false, true])
    for (const transposeB of [false, true])
      for (let r = 0; r < 4; r++) {
        const batch = [[], [pick(s++, 2, 3)], [pick(s++, 1, 2), pick(s++, 2, 3)]][r % 3];
        const broadcast = r === 3 ? [1] : batch;
        out.push({
          batchA: r === 3 ? [3] : batch,
          batchB: r === 3 ? broadcast : batch,
          m: pick(s++, 1, 37),
          k: pick(s++, 1, 41),
          n: pick(s++, 1, 29),
          transposeA,
          transposeB,
        });
      }
  return out;
}

const operands = ({ batchA, batchB, m, k, n, transposeA, transposeB }: Case, seed: number) => {
  const aShape = [...batchA, ...(transposeA ? [k, m] : [m, k])];
  const bShape = [...batchB, ...(transposeB ? [n, k] : [k, n])];
  const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
  return {
    a: () => tf.tensor(randomValues(seed, size(aShape)), aShape),
    b: () => tf.tensor(randomValues(seed + 1, size(bShape)), bShape),
  };
};

describe('BatchMatMul on wasm with transposed operands', () => {
  cases(100).forEach((c, i) => {
    it(`a ${c.transposeA ? 'ᵀ' : ''}[${c.batchA}|${c.m}×${c.k}] · b ${c.transposeB ? 'ᵀ' : ''}[${c.batchB}|${c.k}×${c.n}] matches cpu`, async () => {
      const { a, b } = operands(c, 1000 + i);
      await expectSameOnWasmAsCpu(() => tf.matMul(a(), b(), c.transposeA, c.transposeB), c.k);
    });
  });

  it('computes the gradient of a dense layer (xᵀ·dy and dy·Wᵀ) like cpu', async () => {
    const x = () => tf.tensor(randomValues(7, 64 * 97), [64, 97]);
    const w = () => tf.tensor(randomValues(8, 97 * 33), [97, 33]);
    const loss = (xv: ReturnType<typeof x>, wv: ReturnType<typeof w>) => tf.matMul(xv, wv).square().sum();
    // Terms of dW sum 64 products of |x| ≤ 1 with |2·xW| ≲ 10; those of dx, 33 of them.
    await expectSameOnWasmAsCpu(() => tf.grad((wv) => loss(x(), wv as never))(w()), 64 * 10);
    await expectSameOnWasmAsCpu(() => tf.grad((xv) => loss(xv as never, w()))(x()), 33 * 10);
  });
});

const activations = ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu', 'prelu'] as const;

describe('_FusedMatMul on wasm with transposed operands', () => {
  cases(200)
    .filter((c) => c.batchA.length <= 1 && c.batchA.join() === c.batchB.join())
    .forEach((c, i) => {
      const activation = activations[i % activations.length];
      const withBias = i % 2 === 0;
      it(`${activation}${withBias ? ' + bias' : ''}: a ${c.transposeA ? 'ᵀ' : ''}[${c.batchA}|${c.m}×${c.k}] · b ${c.transposeB ? 'ᵀ' : ''}[${c.batchB}|${c.k}×${c.n}] matches cpu`, async () => {
        const { a, b } = operands(c, 2000 + i);
        await expectSameOnWasmAsCpu(
          () =>
            tf.fused.matMul({
              a: a(),
              b: b(),
              transposeA: c.transposeA,
              transposeB: c.transposeB,
              bias: withBias ? tf.tensor1d(randomValues(3000 + i, c.n)) : undefined,
              activation,
              preluActivationWeights: activation === 'prelu' ? tf.tensor1d(randomValues(4000 + i, c.n)) : undefined,
              leakyreluAlpha: 0.2,
            }),
          c.k,
        );
      });
    });
});
