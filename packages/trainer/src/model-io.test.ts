import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { selectBackend } from './backend.ts';
import { loadModel, saveModel } from './model-io.ts';

const { tf } = await selectBackend('cpu');
const dir = mkdtempSync(path.join(tmpdir(), 'anneal-model-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function smallModel() {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        units: 5,
        inputShape: [3],
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }),
        biasInitializer: 'ones',
      }),
      tf.layers.dense({
        units: 2,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }),
      }),
    ],
  });
}

describe('saveModel / loadModel', () => {
  it('round-trips a model: same architecture, same predictions', async () => {
    const model = smallModel();
    const out = path.join(dir, 'run', 'model');
    const result = await saveModel(model, out);
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    // 3·5 + 5 + 5·2 + 2 = 32 float32 weights.
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(32 * 4);
    const json = JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.weightsManifest[0].paths).toEqual(['./weights.bin']);

    const loaded = await loadModel(tf, path.join(out, 'model.json'));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense']);
    const x = tf.tensor2d([
      [0.1, -2, 3],
      [1, 1, 1],
      [-1, 0.5, 0],
    ]);
    const a = model.predict(x) as import('@tensorflow/tfjs').Tensor;
    const b = loaded.predict(x) as import('@tensorflow/tfjs').Tensor;
    expect(await b.array()).toEqual(await a.array());
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('reads weights split across several shards', async () => {
    const model = smallModel();
    const out = path.join(dir, 'sharded');
    await saveModel(model, out);
    // Re-shard by hand as tfjs converters do: the first 40 bytes, then the rest.
    const bytes = await readFile(path.join(out, 'weights.bin'));
    writeFileSync(path.join(out, 'group1-shard1of2.bin'), bytes.subarray(0, 40));
    writeFileSync(path.join(out, 'group1-shard2of2.bin'), bytes.subarray(40));
    const json = JSON.parse(await readFile(path.join(out, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    rmSync(path.join(out, 'weights.bin'));
    writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));

    const loaded = await loadModel(tf, path.join(out, 'model.json'));
    const original = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(loaded.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(original);
    model.dispose();
    loaded.dispose();
  });

  it('says which file is missing', async () => {
    await expect(loadModel(tf, path.join(dir, 'none', 'model.json'))).rejects.toThrow(
      /Cannot read model .*none.model\.json: file not found/,
    );
    const out = path.join(dir, 'noweights');
    await saveModel(smallModel(), out);
    rmSync(path.join(out, 'weights.bin'));
    await expect(loadModel(tf, path.join(out, 'model.json'))).rejects.toThrow(/Cannot read weights .*weights\.bin/);
  });
});
