import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../memory/expect-no-leaks';
import { MODEL_FILE, nodeFileHandler, readModelJson, WEIGHTS_FILE } from './node-file-handler';
import { stripFileScheme } from './node-file-system';
import { weightBytes } from './weights-file-checks';

let scratch: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  scratch = await mkdtemp(join(tmpdir(), 'heed-node-io-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A small dense model (seeded), saved to `<scratch>/<name>` with metadata; returns the folder and the model. */
async function savedModel(name: string): Promise<{ directory: string; model: tf.LayersModel }> {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }), tf.layers.dense({ units: 2 })] });
  model.setUserDefinedMetadata({ heedTest: { labels: ['no', 'yes'] } });
  const directory = join(scratch, name);
  await model.save(nodeFileHandler(`file://${directory}/`));
  return { directory, model };
}

describe('nodeFileHandler', () => {
  it('saves model.json + weights.bin as tfjs-node does and loads them back: same predictions, metadata kept, no temporary files left', async () => {
    const { directory, model } = await savedModel('round-trip');
    const json = JSON.parse(await readFile(join(directory, MODEL_FILE), 'utf8')) as { weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>; userDefinedMetadata: unknown };
    expect(json.weightsManifest[0]!.paths).toEqual([`./${WEIGHTS_FILE}`]);
    expect(json.userDefinedMetadata).toEqual({ heedTest: { labels: ['no', 'yes'] } });
    expect((await readFile(join(directory, WEIGHTS_FILE))).byteLength).toBe(weightBytes(json.weightsManifest[0]!.weights));
    const loaded = await tf.loadLayersModel(nodeFileHandler(directory));
    const input = tf.tensor2d([[0.5, -1, 2]]);
    await expectNoLeaks(async () => {
      const [before, after] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
      expect(Array.from(await after.data())).toEqual(Array.from(await before.data()));
      tf.dispose([before, after]);
    }, 'predict');
    expect(loaded.getUserDefinedMetadata()).toEqual({ heedTest: { labels: ['no', 'yes'] } });
    expect((await readdir(directory)).sort()).toEqual([MODEL_FILE, WEIGHTS_FILE]);
    tf.dispose([input]);
    model.dispose();
    loaded.dispose();
  });

  it('names the file that is missing, not JSON, of another size than its manifest, a device, or not finite; with the caller prefix', async () => {
    const { directory, model } = await savedModel('errors');
    model.dispose();
    const weights = join(directory, WEIGHTS_FILE);
    const manifest = join(directory, MODEL_FILE);
    const bytes = await readFile(weights);
    const load = () => nodeFileHandler(directory, { where: 'Seq2Seq.load: ' }).load!();
    await writeFile(weights, bytes.subarray(0, 8));
    await expect(load()).rejects.toThrow(`Seq2Seq.load: ${weights} has 8 bytes but ${manifest} describes ${bytes.byteLength} bytes of weights`);
    await rm(weights);
    await expect(load()).rejects.toThrow(`Seq2Seq.load: cannot read ${weights}`);
    await symlink('/dev/zero', weights);
    await expect(load()).rejects.toThrow(`Seq2Seq.load: ${weights} is not a regular file (a device, directory or socket)`);
    await rm(weights);
    await writeFile(weights, new Uint8Array(new Float32Array(bytes.byteLength / 4).fill(Infinity).buffer));
    await expect(load()).rejects.toThrow(/^Seq2Seq\.load: .*weights\.bin: weight \S+ \[3, 4\] holds 12 of 12 values that are NaN or Infinity/);
    const text = await readFile(manifest, 'utf8');
    await writeFile(manifest, text.replace('"./weights.bin"', '"./other.bin"'));
    await expect(load()).rejects.toThrow(`Seq2Seq.load: ${manifest} lists weight files ["./other.bin"]; expected ["./weights.bin"]`);
    await writeFile(manifest, text.slice(0, 40));
    await expect(readModelJson(directory)).rejects.toThrow(`${manifest} is not valid JSON`);
    await writeFile(manifest, JSON.stringify({ modelTopology: {} }));
    await expect(readModelJson(`file://${directory}`)).rejects.toThrow(`${manifest} has no weightsManifest; it is not a saved model`);
    await rm(manifest);
    await expect(tf.loadLayersModel(nodeFileHandler(directory))).rejects.toThrow(`cannot read ${manifest}`);
  });

  it('stripFileScheme takes file:// and trailing slashes off', () => {
    expect(stripFileScheme('file:///tmp/g2p/')).toBe('/tmp/g2p');
    expect(stripFileScheme('/tmp/g2p')).toBe('/tmp/g2p');
  });
});
