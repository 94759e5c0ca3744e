import type { KernelBackend, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { callKernel, disposeAll, type KernelRegistry } from './kernel-calls.ts';

// tfjs-backend-wasm 4.22 multiplies with XNNPACK only when neither operand is transposed;
// with transposeA or transposeB it falls back to a scalar loop, 5–10× slower on the shapes of
// a dense layer's gradient (dW = xᵀ·dy, dx = dy·Wᵀ). Transposing the operand first with the
// backend's own Transpose kernel (a memory copy) and then multiplying on the fast path gives
// the same result up to float32 summation order, much faster.

const wrapped = new WeakSet<KernelFunc>();

/** Swaps the last two axes of `x` with the backend's Transpose kernel. */
function transposeLastTwo(
  registry: KernelRegistry,
  backendName: string,
  backend: KernelBackend,
  x: TensorInfo,
): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return callKernel(registry, backendName, 'Transpose', backend, { x }, { perm });
}

/**
 * A kernel config that wraps `original` (BatchMatMul or _FusedMatMul, which share the
 * inputs `a`, `b` and the attrs `transposeA`, `transposeB`) so that it only ever sees
 * untransposed operands.
 */
export function untransposingMatMul(registry: KernelRegistry, original: KernelConfig): KernelConfig {
  const { backendName } = original;
  const kernelFunc: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
    const backend = anyBackend as KernelBackend;
    const { transposeA, transposeB } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs });
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const temporaries: TensorInfo[] = [];
    const plain = (x: TensorInfo, transposed: boolean | undefined) => {
      if (!transposed) return x;
      const t = transposeLastTwo(registry, backendName, backend, x);
      temporaries.push(t);
      return t;
    };
    try {
      return original.kernelFunc({
        inputs: { ...inputs, a: plain(a, transposeA), b: plain(b, transposeB) },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false } as NamedAttrMap,
      });
    } finally {
      disposeAll(backend, temporaries);
    }
  };
  wrapped.add(kernelFunc);
  return { ...original, kernelFunc };
}

/** True when `config` is already one of ours, so registering twice does not wrap twice. */
export function isUntransposing(config: KernelConfig): boolean {
  return wrapped.has(config.kernelFunc);
}
