import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import { writeFileAtomic, writeJsonAtomic } from './files.ts';
import type { LoopState } from './loop.ts';
import { loadModel, saveModel } from './model-io.ts';
import type { TF } from './types.ts';

/**
 * A checkpoint is a directory: model.json + weights.bin, optimizer.json + optimizer.bin (its
 * slots, so Adam resumes with its moments) and state.json (epoch, step, rows, plateau and early
 * stopping state). It is written beside its final name and swapped in, so a kill leaves either
 * the previous checkpoint or the new one.
 */
export async function writeCheckpoint(
  tf: TF,
  dir: string,
  model: LayersModel,
  optimizer: Optimizer | undefined,
  state: LoopState,
): Promise<void> {
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  await saveModel(model, tmp);
  if (optimizer) {
    const weights = await optimizer.getWeights();
    const { data, specs } = await tf.io.encodeWeights(weights);
    writeFileAtomic(join(tmp, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
    writeJsonAtomic(join(tmp, 'optimizer.json'), specs);
    // getWeights makes a fresh scalar for the iteration count (the rest are the optimizer's own variables).
    for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  }
  writeJsonAtomic(join(tmp, 'state.json'), state);
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

/** The last complete checkpoint under `dir` (or its `.old` twin if a kill hit mid-swap). */
export function findCheckpoint(dir: string): string | undefined {
  return [dir, `${dir}.old`].find((d) => existsSync(join(d, 'state.json')));
}

export async function readCheckpoint(
  tf: TF,
  dir: string,
  model: LayersModel,
  optimizer: Optimizer,
): Promise<LoopState> {
  const saved = await loadModel(tf, join(dir, 'model.json'));
  model.setWeights(saved.getWeights());
  saved.dispose();
  if (existsSync(join(dir, 'optimizer.json'))) {
    const specs = JSON.parse(readFileSync(join(dir, 'optimizer.json'), 'utf8'));
    const bytes = readFileSync(join(dir, 'optimizer.bin'));
    const map = tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), specs);
    const named = specs.map((s: { name: string }) => ({ name: s.name, tensor: map[s.name] }));
    await optimizer.setWeights(named);
  }
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LoopState;
}
