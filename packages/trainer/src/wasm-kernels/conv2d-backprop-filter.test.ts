import type { Conv2DBackpropFilterAttrs, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { expectSameOnWasmAsCpu, pick, randomValues, tf } from './compare.ts';

type Pad = Conv2DBackpropFilterAttrs['pad'];
type Case = {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** Random odd sizes, strides 1–3, every kind of padding, both data formats. */
function cases(): Case[] {
  const out: Case[] = [];
  let s = 500;
  const pads = (i: number): { pad: Pad; dimRoundingMode?: Case['dimRoundingMode'] } =>
    [
      { pad: 'same' as const },
      { pad: 'valid' as const },
      { pad: pick(s++, 0, 2), dimRoundingMode: (['floor', 'round', 'ceil'] as const)[pick(s++, 0, 2)] },
      {
        pad: [
          [0, 0],
          [pick(s++, 0, 2), pick(s++, 0, 2)],
          [pick(s++, 0, 2), pick(s++, 0, 2)],
          [0, 0],
        ] as Pad,
      },
    ][i % 4];
  for (let i = 0; i < 16; i++) {
    const fh = pick(s++, 1, 4);
    const fw = pick(s++, 1, 4);
    const h = pick(s++, fh + 2, 13);
    const w = pick(s++, fw + 2, 11);
    const dataFormat = i % 8 < 6 ? 'NHWC' : 'NCHW';
    const batch = pick(s++, 1, 3);
    const inC = pick(s++, 1, 5);
    const outC = pick(s++, 1, 6);
    const p = pads(i);
    // Explicit padding is given per axis of the data format.
    if (Array.isArray(p.pad) && dataFormat === 'NCHW') p.pad = [[0, 0], [0, 0], p.pad[1], p.pad[2]] as Pad;
    out.push({
      x: dataFormat === 'NHWC' ? [batch, h, w, inC] : [batch, inC, h, w],
      filter: [fh, fw, inC, outC],
      strides: [pick(s++, 1, 3), pick(s++, 1, 3)],
      ...p,
      dataFormat,
    });
  }
  return out;
}

const size = (s: number[]) => s.reduce((p, d) => p * d, 1);

describe('Conv2DBackpropFilter on wasm', () => {
  it('is registered, where tfjs-backend-wasm 4.22 has none', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  cases().forEach((c, i) => {
    const info = tf.backend_util.computeConv2DInfo(
      c.x,
      c.filter,
      c.strides,
      1,
      c.pad,
      c.dimRoundingMode,
      false,
      c.dataFormat === 'NHWC' ? 'channelsLast' : 'channelsFirst',
    );
    const dyShape = info.outShape;
    it(`x [${c.x}] ${c.dataFormat}, filter [${c.filter}], strides [${c.strides}], pad ${JSON.stringify(c.pad)}${c.dimRoundingMode ? ` ${c.dimRoundingMode}` : ''} matches cpu`, async () => {
      await expectSameOnWasmAsCpu(
        () =>
          tf.engine().runKernel(
            'Conv2DBackpropFilter',
            {
              x: tf.tensor(randomValues(6000 + i, size(c.x)), c.x),
              dy: tf.tensor(randomValues(7000 + i, size(dyShape)), dyShape),
            },
            {
              strides: c.strides,
              pad: c.pad,
              dataFormat: c.dataFormat,
              dimRoundingMode: c.dimRoundingMode,
              filterShape: c.filter,
            } as unknown as Record<string, never>,
          ) as Tensor,
        dyShape[0] * info.outHeight * info.outWidth,
      );
    });
  });

  it('gives the same gradient of a conv2d as cpu', async () => {
    const x = () => tf.tensor4d(randomValues(11, 4 * 15 * 15 * 3), [4, 15, 15, 3]);
    const w = () => tf.tensor4d(randomValues(12, 3 * 3 * 3 * 8), [3, 3, 3, 8]);
    await expectSameOnWasmAsCpu(
      () =>
        tf.grad((wv) =>
          tf
            .conv2d(x(), wv as Tensor4D, 2, 'same')
            .square()
            .sum(),
        )(w()),
      4 * 8 * 8 * 10,
    );
  });
});
