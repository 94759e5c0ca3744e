import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { LayersModel, Optimizer } from '@tensorflow/tfjs';
import type { LoopState } from './loop.ts';
import { loadModel, saveModel } from './model-io.ts';
import { optimizerWeights, setOptimizerWeights } from './optimizer-state.ts';
import type { TF } from './types.ts';

/**
 * A checkpoint is a directory: model.json + weights.bin, optimizer.json + optimizer.bin (its
 * slots, so Adam resumes with its moments), state.json (epoch, step, rows, plateau, early
 * stopping and random-stream state) and manifest.json (the sha256 of each of those files).
 * It is written whole beside its final name, the manifest last, and swapped in by renames; the
 * checkpoint it replaces is kept as `<name>.prev`. So a kill leaves a complete checkpoint, and
 * a file damaged later (a truncated copy, a bad disk) is caught by its checksum on resume.
 */
const MANIFEST = 'manifest.json';
const FORMAT = 1;

interface Manifest {
  format: number;
  files: Record<string, string>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

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
    const weights = await optimizerWeights(optimizer);
    const { data, specs } = await tf.io.encodeWeights(weights);
    writeFileSync(join(tmp, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
    writeFileSync(join(tmp, 'optimizer.json'), JSON.stringify(specs));
    // getWeights makes a fresh scalar for the iteration count (the rest are the optimizer's own variables).
    for (const w of weights) if (!(w.tensor instanceof tf.Variable)) w.tensor.dispose();
  }
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(state));
  const files = Object.fromEntries(
    readdirSync(tmp)
      .sort()
      .map((f) => [f, sha256(join(tmp, f))]),
  );
  writeFileSync(join(tmp, MANIFEST), JSON.stringify({ format: FORMAT, files } satisfies Manifest, null, 2));
  const prev = `${dir}.prev`;
  rmSync(prev, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, prev);
  renameSync(tmp, dir);
}

/** Why a checkpoint directory cannot be trusted, naming the file; undefined when it is sound. */
export function checkpointProblem(dir: string): string | undefined {
  const manifestFile = join(dir, MANIFEST);
  if (!existsSync(manifestFile)) return `${manifestFile} is missing (the checkpoint is incomplete)`;
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
  } catch (error) {
    return `${manifestFile} is not valid JSON (${(error as Error).message})`;
  }
  if (manifest.format !== FORMAT || typeof manifest.files !== 'object' || manifest.files === null)
    return `${manifestFile} is not a checkpoint manifest of format ${FORMAT}`;
  for (const name of ['model.json', 'weights.bin', 'state.json'])
    if (!(name in manifest.files)) return `${manifestFile} does not list ${name}`;
  for (const [name, hash] of Object.entries(manifest.files)) {
    if (basename(name) !== name) return `${manifestFile} lists a path outside the checkpoint: ${name}`;
    const file = join(dir, name);
    if (!existsSync(file)) return `${file} is missing`;
    if (sha256(file) !== hash) return `${file} is damaged (its sha256 does not match ${MANIFEST})`;
  }
  let state: LoopState;
  try {
    state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LoopState;
  } catch (error) {
    return `${join(dir, 'state.json')} is not a loop state (${(error as Error).message})`;
  }
  if (!Number.isInteger(state.epoch) || !Array.isArray(state.rows))
    return `${join(dir, 'state.json')} is not a loop state (no epoch or rows)`;
  return undefined;
}

export interface FoundCheckpoint {
  /** The sound checkpoint to use, if any. */
  dir?: string;
  /** Checkpoints passed over, each with why. */
  damaged: string[];
}

/**
 * The newest sound checkpoint of `dir`: the checkpoint itself, else the one it replaced
 * (`.prev`). `damaged` says what was passed over; neither existing means none was written yet.
 */
export function findCheckpoint(dir: string): FoundCheckpoint {
  const damaged: string[] = [];
  for (const candidate of [dir, `${dir}.prev`]) {
    if (!existsSync(candidate)) continue;
    const problem = checkpointProblem(candidate);
    if (!problem) return { dir: candidate, damaged };
    damaged.push(problem);
  }
  return { damaged };
}

/** The checkpoint's state.json (a sound checkpoint: see `findCheckpoint`). */
export function readCheckpointState(dir: string): LoopState {
  return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as LoopState;
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
    await setOptimizerWeights(tf, optimizer, named);
  }
  return readCheckpointState(dir);
}

/** `checkpoints/last` as people read it in messages (relative to the run directory). */
export const checkpointName = (dir: string) => `${basename(dirname(dir))}/${basename(dir)}`;
