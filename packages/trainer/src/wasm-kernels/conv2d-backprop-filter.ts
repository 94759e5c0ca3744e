import type {
  backend_util as BackendUtil,
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { callKernel, disposeAll, type KernelRegistry, reshapeInfo } from './kernel-calls.ts';

// tfjs-backend-wasm 4.22 ships Conv2D and Conv2DBackpropInput but not Conv2DBackpropFilter,
// so no convolution can be trained on wasm. This builds it from the backend's own kernels as
// an im2col product:
//   1. pad x as the forward pass did (PadV2);
//   2. for each filter tap (i, j), the strided window of x that tap saw (StridedSlice),
//      all taps stacked on a new leading axis (Concat on axis 0: whole-block copies)
//      → [taps, N, inChannels] with N = batch·outHeight·outWidth;
//   3. swap the last two axes (Transpose) → [taps·inChannels, N], row index tap·inC + c,
//      which is exactly the filter's [fh, fw, inC] order;
//   4. one untransposed matmul (XNNPACK) with dy as [N, outChannels] → [fh·fw·inC, outC].
// Dilations are 1: tfjs-core's conv2d gradient refuses dilated convolutions.

export function conv2dBackpropFilter(
  registry: KernelRegistry,
  backendUtil: typeof BackendUtil,
  backendName: string,
): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    // tfjs types a kernel's backend as {}; every backend is a KernelBackend.
    const backend = anyBackend as KernelBackend;
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    const info = backendUtil.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      backendUtil.convertConv2DDataFormat(dataFormat),
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    const call = (name: string, ins: Parameters<typeof callKernel>[4], at?: Parameters<typeof callKernel>[5]) =>
      callKernel(registry, backendName, name, backend, ins, at);
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo) => {
      temporaries.push(t);
      return t;
    };
    try {
      // Work in channels-last; the filter layout is the same for both formats.
      const channelsFirst = info.dataFormat === 'channelsFirst';
      const xNhwc = channelsFirst ? keep(call('Transpose', { x }, { perm: [0, 2, 3, 1] })) : x;
      const dyNhwc = channelsFirst ? keep(call('Transpose', { x: dy }, { perm: [0, 2, 3, 1] })) : dy;

      // Rows and columns the windows reach; anything past the input is zero padding (rows the
      // forward pass padded but no window reads are left out).
      const rowsNeeded = (outHeight - 1) * strideHeight + filterHeight;
      const colsNeeded = (outWidth - 1) * strideWidth + filterWidth;
      const bottom = Math.max(0, rowsNeeded - padInfo.top - inHeight);
      const right = Math.max(0, colsNeeded - padInfo.left - inWidth);
      const padded =
        padInfo.top || padInfo.left || bottom || right
          ? keep(
              call(
                'PadV2',
                { x: xNhwc },
                {
                  paddings: [
                    [0, 0],
                    [padInfo.top, bottom],
                    [padInfo.left, right],
                    [0, 0],
                  ],
                  constantValue: 0,
                },
              ),
            )
          : xNhwc;

      const taps: TensorInfo[] = [];
      for (let i = 0; i < filterHeight; i++) {
        for (let j = 0; j < filterWidth; j++) {
          taps.push(
            keep(
              call(
                'StridedSlice',
                { x: padded },
                {
                  begin: [0, i, j, 0],
                  end: [
                    batchSize,
                    i + (outHeight - 1) * strideHeight + 1,
                    j + (outWidth - 1) * strideWidth + 1,
                    inChannels,
                  ],
                  strides: [1, strideHeight, strideWidth, 1],
                  beginMask: 0,
                  endMask: 0,
                  ellipsisMask: 0,
                  newAxisMask: 0,
                  shrinkAxisMask: 0,
                },
              ),
            ),
          );
        }
      }
      const n = batchSize * outHeight * outWidth;
      const stacked = taps.length === 1 ? taps[0] : keep(call('Concat', taps, { axis: 0 }));
      const windows = keep(reshapeInfo(registry, backendName, backend, stacked, [taps.length, n, inChannels]));
      const columns = keep(call('Transpose', { x: windows }, { perm: [0, 2, 1] }));
      const patches = keep(reshapeInfo(registry, backendName, backend, columns, [taps.length * inChannels, n]));
      const grads = keep(reshapeInfo(registry, backendName, backend, dyNhwc, [n, outChannels]));
      const product = keep(call('BatchMatMul', { a: patches, b: grads }, { transposeA: false, transposeB: false }));
      return reshapeInfo(registry, backendName, backend, product, [...filterShape]);
    } finally {
      disposeAll(backend, temporaries);
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}
