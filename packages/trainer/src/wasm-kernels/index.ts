// Kernels that tfjs-backend-wasm 4.22 lacks or runs slowly, built only from the backend's
// own kernels (no new wasm code), so they can be offered upstream as they are.
import type { backend_util as BackendUtil } from '@tensorflow/tfjs';
import { conv2dBackpropFilter } from './conv2d-backprop-filter.ts';
import type { KernelRegistry } from './kernel-calls.ts';
import { isUntransposing, untransposingMatMul } from './transposed-matmul.ts';

export type { KernelRegistry } from './kernel-calls.ts';
export { conv2dBackpropFilter } from './conv2d-backprop-filter.ts';
export { isUntransposing, untransposingMatMul } from './transposed-matmul.ts';

/**
 * Registers the kernels for the wasm backend: BatchMatMul and _FusedMatMul that multiply
 * transposed operands on XNNPACK, and Conv2DBackpropFilter where wasm has none. Call it after
 * `@tensorflow/tfjs-backend-wasm` is imported (its kernels must be registered first), before
 * or after `setBackend('wasm')`. Calling it again does nothing; a Conv2DBackpropFilter that
 * the backend already has (a later tfjs) is left alone.
 */
export function registerWasmKernels(tf: KernelRegistry & { backend_util: typeof BackendUtil }): void {
  const backendName = 'wasm';
  for (const kernelName of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(kernelName, backendName);
    if (!original) throw new Error(`tfjs-backend-wasm has no '${kernelName}' kernel: import it first.`);
    if (isUntransposing(original)) continue;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(untransposingMatMul(tf, original));
  }
  if (!tf.getKernel('Conv2DBackpropFilter', backendName)) {
    tf.registerKernel(conv2dBackpropFilter(tf, tf.backend_util, backendName));
  }
}
