import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { io, LayersModel } from '@tensorflow/tfjs';
import type { TF } from './types.ts';
import { AnnealError } from '@anneal/core';

/**
 * Saving and loading tfjs layers models on the file system without tfjs-node, whose `file://`
 * handler is the only one tfjs ships for Node. The files are the standard tfjs format
 * (model.json + weights.bin), loadable by `tf.loadLayersModel` anywhere.
 */

const weightsFile = 'weights.bin';

/** Writes `dir/model.json` and `dir/weights.bin` (one shard), creating `dir` if needed. */
export async function saveModel(model: LayersModel, dir: string): Promise<io.SaveResult> {
  return model.save({
    async save(artifacts) {
      await mkdir(dir, { recursive: true });
      const data = artifacts.weightData;
      // weightData is one ArrayBuffer or, for large models, a list of them (tfjs ≥ 4.10).
      const buffers = data === undefined ? [] : Array.isArray(data) ? data : [data];
      const bytes = Buffer.concat(buffers.map((b) => new Uint8Array(b)));
      // The same fields, in the same layout, as tfjs's own getModelJSONForModelArtifacts
      // (not exported) and tfjs-node's file:// handler write.
      const modelJSON: io.ModelJSON = {
        modelTopology: artifacts.modelTopology!,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${weightsFile}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      await writeFile(path.join(dir, weightsFile), bytes);
      await writeFile(path.join(dir, 'model.json'), JSON.stringify(modelJSON));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
          weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          weightDataBytes: bytes.byteLength,
        },
      };
    },
  });
}

/** An IOHandler that reads a model.json and its weight shards (paths relative to it) from disk. */
export function fileHandler(tf: TF, modelJsonPath: string): io.IOHandler {
  const dir = path.dirname(modelJsonPath);
  return {
    async load() {
      let modelJSON: io.ModelJSON;
      try {
        modelJSON = JSON.parse(await readFile(modelJsonPath, 'utf8')) as io.ModelJSON;
      } catch (error) {
        const why = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : (error as Error).message;
        throw new AnnealError('FILE_UNREADABLE', `Cannot read model ${modelJsonPath}: ${why}`, {
          hint: 'check the path; a model.json is written by `exp run` (output.saveModel) or tf.io',
        });
      }
      return tf.io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        // Shards are concatenated in manifest order, as tfjs's http loader does.
        const shards: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const shard of group.paths) {
            const file = path.resolve(dir, shard);
            const bytes = await readFile(file).catch(() => {
              throw new AnnealError('FILE_UNREADABLE', `Cannot read weights ${file} listed in ${modelJsonPath}`, {
                hint: 'the weights files must sit beside model.json, as written',
              });
            });
            shards.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
          }
        }
        return [tf.io.getWeightSpecs(manifest), tf.io.CompositeArrayBuffer.join(shards)];
      });
    },
  };
}

/** Loads a layers model saved by `saveModel` (or any tfjs converter / tfjs-node). */
export async function loadModel(tf: TF, modelJsonPath: string): Promise<LayersModel> {
  return tf.loadLayersModel(fileHandler(tf, modelJsonPath));
}
