import type {
  backend_util as BackendUtil,
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs';
import { callKernel, disposeAll, type KernelRegistry } from './kernel-calls.ts';

// tfjs-backend-wasm 4.22 ships Conv2D and Conv2DBackpropInput but not Conv2DBackpropFilter,
// so no convolution can be trained on wasm. The filter gradient is itself a convolution, so it
// is built on the backend's own (XNNPACK) Conv2D, the way TensorFlow derives it:
//   dW[i, j, c, o] = Σ_{b, y, x} xPadded[b, y·s + i, x·s + j, c] · dy[b, y, x, o]
// is a stride-1 convolution whose "batch" is c, whose channels are b, and whose filter is dy
// dilated by the forward stride s:
//   x → [inC, H, W, batch] (Transpose), dy → [outH, outW, batch, outC] (Transpose),
//   Conv2D(dilations = s, padding = the forward pass's) → [inC, fh, fw, outC],
//   Transpose → [fh, fw, inC, outC].
// It is one convolution with the forward pass's multiply count, where an im2col of strided
// slices measured 3–10× slower (wasm's Slice/StridedSlice copy element by element).
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
    const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
    const call = (name: string, ins: Parameters<typeof callKernel>[4], at?: Parameters<typeof callKernel>[5]) =>
      callKernel(registry, backendName, name, backend, ins, at);
    const temporaries: TensorInfo[] = [];
    const keep = (t: TensorInfo) => {
      temporaries.push(t);
      return t;
    };
    try {
      // Axes of x and dy as [batch, rows, cols, channels], whatever the data format.
      const [b, r, c, ch] = info.dataFormat === 'channelsFirst' ? [0, 2, 3, 1] : [0, 1, 2, 3];
      const images = keep(call('Transpose', { x }, { perm: [ch, r, c, b] }));
      const taps = keep(call('Transpose', { x: dy }, { perm: [r, c, b, ch] }));
      // Pad as the forward pass did, but only as far as the windows reach (a valid convolution
      // whose rows do not divide evenly leaves the last rows unread).
      const bottom = Math.max(0, (outHeight - 1) * strideHeight + filterHeight - padInfo.top - inHeight);
      const right = Math.max(0, (outWidth - 1) * strideWidth + filterWidth - padInfo.left - inWidth);
      const conv = keep(
        call(
          'Conv2D',
          { x: images, filter: taps },
          {
            strides: [1, 1],
            dilations: [strideHeight, strideWidth],
            pad: [
              [0, 0],
              [padInfo.top, bottom],
              [padInfo.left, right],
              [0, 0],
            ],
            dataFormat: 'NHWC',
          },
        ),
      );
      // Unread rows or columns past the windows give extra outputs; keep the filter's extent.
      const [, convHeight, convWidth] = conv.shape;
      const cropped =
        convHeight === filterHeight && convWidth === filterWidth
          ? conv
          : keep(
              call(
                'Slice',
                { x: conv },
                { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] },
              ),
            );
      return call('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] });
    } finally {
      disposeAll(backend, temporaries);
    }
  };
  return { kernelName: 'Conv2DBackpropFilter', backendName, kernelFunc };
}
