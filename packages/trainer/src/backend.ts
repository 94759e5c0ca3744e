import { createRequire } from 'node:module';
import path from 'node:path';
import type { TF } from './types.ts';
import { AnnealError } from '@anneal/core';
import { registerWasmKernels } from './wasm-kernels/index.ts';

export type BackendRequest = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

export interface SelectedBackend {
  tf: TF;
  /** The tfjs backend name now active: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** Why this backend, in full, for summary.json, e.g. "auto: tfjs-node not installed (Cannot find …); using wasm (SIMD, 1 thread)". */
  reason: string;
  /** The same in one plain line for the terminal, e.g. "tfjs-node not installed; using wasm (SIMD, 1 thread)". */
  note: string;
}

const require = createRequire(import.meta.url);

/**
 * Loads tfjs and activates a backend. tfjs is imported here, lazily, so that importing plugin
 * definitions (for `exp validate`) never pays for it. `auto` prefers the native binding, then
 * wasm, then the pure-JS cpu backend; an explicit request that cannot be met throws.
 */
export async function selectBackend(requested: BackendRequest): Promise<SelectedBackend> {
  // require, not import(): tfjs ships CommonJS for Node, and import() of it makes Node scan the
  // whole bundle for named exports (measured 0.14 s by require, 0.38 s by import(), 0.49 s
  // by import() under tsx). The namespace object is the same either way.
  const tf: TF = require('@tensorflow/tfjs');
  // tfjs prints "install tfjs-node to speed things up" on first use of cpu in Node; the
  // reason string already says which backend runs, and libraries must not print (STYLE #11).
  tf.enableProdMode();

  if (requested === 'auto') {
    const native = await tryNative(tf);
    if (native.ok)
      return {
        tf,
        backend: 'tensorflow',
        reason: 'auto: using tensorflow (tfjs-node)',
        note: 'tensorflow (tfjs-node)',
      };
    const wasm = await tryWasm(tf);
    if (wasm.ok)
      return {
        tf,
        backend: 'wasm',
        reason: `auto: ${native.why}; using wasm (${wasm.detail})`,
        note: `${native.short}; using wasm (${wasm.detail})`,
      };
    await activate(tf, 'cpu');
    return {
      tf,
      backend: 'cpu',
      reason: `auto: ${native.why}; ${wasm.why}; using cpu`,
      note: `${native.short}; ${wasm.short}; using cpu`,
    };
  }
  if (requested === 'tensorflow') {
    const native = await tryNative(tf);
    if (!native.ok)
      throw new AnnealError('BACKEND_UNAVAILABLE', `backend 'tensorflow' is not available: ${native.why}`, {
        hint: 'install @tensorflow/tfjs-node, or set train.backend: wasm or cpu',
      });
    return { tf, backend: 'tensorflow', reason: 'requested: tensorflow (tfjs-node)', note: 'tensorflow (tfjs-node)' };
  }
  if (requested === 'wasm') {
    const wasm = await tryWasm(tf);
    if (!wasm.ok)
      throw new AnnealError('BACKEND_UNAVAILABLE', `backend 'wasm' is not available: ${wasm.why}`, {
        hint: 'set train.backend: cpu (or auto)',
      });
    return { tf, backend: 'wasm', reason: `requested: wasm (${wasm.detail})`, note: `wasm (${wasm.detail})` };
  }
  if (requested === 'cpu') {
    await activate(tf, 'cpu');
    return { tf, backend: 'cpu', reason: 'requested: cpu', note: 'cpu' };
  }
  throw new AnnealError('CONFIG_INVALID', `Unknown backend '${String(requested)}'`, {
    hint: 'train.backend is one of auto, tensorflow, wasm, cpu',
  });
}

/** `why` in full (kept in summary.json); `short` without the underlying error, for the terminal. */
type Attempt = { ok: true; detail: string } | { ok: false; why: string; short: string };

async function tryNative(tf: TF): Promise<Attempt> {
  // A variable specifier keeps TypeScript and vite from resolving a package that is
  // optional (its install downloads libtensorflow, so it is not a dependency).
  const specifier = '@tensorflow/tfjs-node';
  try {
    await import(specifier);
  } catch (error) {
    const missing =
      (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' ||
      /Cannot find (package|module)/.test(String(error));
    const short = missing ? 'tfjs-node not installed' : 'tfjs-node failed to load';
    return { ok: false, why: `${short} (${firstLine(error)})`, short };
  }
  try {
    await activate(tf, 'tensorflow');
  } catch (error) {
    // tfjs-node registers its backend with the tfjs-core it resolves; a second copy of
    // tfjs-core (mismatched versions) leaves ours without it.
    const short = 'tfjs-node loaded but its backend did not start';
    return { ok: false, why: `${short} (${firstLine(error)})`, short };
  }
  return { ok: true, detail: 'native' };
}

async function tryWasm(tf: TF): Promise<Attempt> {
  try {
    const wasm: typeof import('@tensorflow/tfjs-backend-wasm') = require('@tensorflow/tfjs-backend-wasm');
    // In Node, emscripten would look beside the bundled JS; point it at the package's own
    // dist/, which holds tfjs-backend-wasm{,-simd,-threaded-simd}.wasm, so bundling the
    // trainer (or running from another cwd) cannot break it.
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
    wasm.setWasmPaths(dist + path.sep);
    await activate(tf, 'wasm');
    // Fast transposed matmuls and the conv gradient wasm lacks (see wasm-kernels/index.ts).
    registerWasmKernels(tf);
  } catch (error) {
    return { ok: false, why: `wasm failed to start (${firstLine(error)})`, short: 'wasm failed to start' };
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  // Node has no Web Workers, so tfjs reports no multi-thread support and picks the
  // single-threaded binary; say so rather than leave it to be guessed.
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return { ok: true, detail: [simd ? 'SIMD' : 'no SIMD', threads ? 'multi-threaded' : '1 thread'].join(', ') };
}

/** setBackend resolves false (rather than throwing) when initialisation fails. */
async function activate(tf: TF, name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name)
    throw new AnnealError('BACKEND_UNAVAILABLE', `tfjs could not start the '${name}' backend`, {
      hint: 'run with --debug for the cause, or choose another train.backend',
    });
  await tf.ready();
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}
