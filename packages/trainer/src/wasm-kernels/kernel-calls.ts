import type { KernelBackend, KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

/** The few tfjs-core functions these kernels need; `@tensorflow/tfjs` or `@tensorflow/tfjs-core` both fit. */
export interface KernelRegistry {
  getKernel(kernelName: string, backendName: string): KernelConfig | undefined;
  registerKernel(config: KernelConfig): void;
  unregisterKernel(kernelName: string, backendName: string): void;
}

/**
 * Calls another kernel of the same backend directly (not through the engine), the way a
 * backend's own kernels compose: the result is a bare TensorInfo that the caller must free
 * with `backend.disposeData`, because the engine never sees it.
 */
export function callKernel(
  registry: KernelRegistry,
  backendName: string,
  kernelName: string,
  backend: KernelBackend,
  inputs: NamedTensorInfoMap | TensorInfo[],
  attrs: NamedAttrMap = {},
): TensorInfo {
  const kernel = registry.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`Kernel '${kernelName}' is not registered for backend '${backendName}'.`);
  const out = kernel.kernelFunc({ inputs: inputs as NamedTensorInfoMap, backend, attrs });
  if (Array.isArray(out)) throw new Error(`Kernel '${kernelName}' returned several outputs; one was expected.`);
  return out;
}

/** A view of `x` with another shape and the same data (the backend counts the extra reference). */
export function reshapeInfo(
  registry: KernelRegistry,
  backendName: string,
  backend: KernelBackend,
  x: TensorInfo,
  shape: number[],
): TensorInfo {
  return callKernel(registry, backendName, 'Reshape', backend, { x }, { shape });
}

/** Frees intermediate results; each call drops one reference, so views and their source are both safe. */
export function disposeAll(backend: KernelBackend, infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}
