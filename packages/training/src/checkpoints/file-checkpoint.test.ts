import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobs, layersMlp, readWeights } from '../__fixtures__/tiny-problem';
import { sparseCategoricalCrossEntropy } from '../losses/sparse-categorical-cross-entropy';
import { sgd } from '../optimizers/sgd';
import { Trainer } from '../trainer/trainer';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint-artifacts';
import { fileCheckpoint, type CheckpointFileSystem } from './file-checkpoint';

let root: string;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  root = await mkdtemp(join(tmpdir(), 'heed-file-checkpoint-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const data = blobs(30);
const trainer = (seed = 3) => new Trainer({ model: layersMlp(seed), loss: sparseCategoricalCrossEntropy, optimizer: sgd({ momentum: 0.9 }), seed: 5 });
async function trained(epochs: number, seed = 3): Promise<Trainer> {
  const instance = trainer(seed);
  if (epochs > 0) await instance.fit(data, { epochs, batchSize: 10 });
  return instance;
}
const weightFiles = async (directory: string) => (await readdir(directory)).filter((name) => name.startsWith('weights-')).sort();
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
const nodeFs = (): CheckpointFileSystem => ({ mkdir, readdir, rename, rm, readFile, writeFile, stat });

describe('concurrent saves to one directory', () => {
  it('run one after another: the last save loads, and only its weights file is left', async () => {
    const directory = `${root}/concurrent`;
    for (let trial = 0; trial < 5; trial++) {
      const first = await trained(1);
      const second = await trained(2, 4);
      const results = await Promise.allSettled([first.save(`file://${directory}`), second.save(fileCheckpoint(directory)), first.save(`file://${directory}/`)]);
      expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
      const restored = trainer(9);
      await restored.load(`file://${directory}`);
      expect(await readWeights(restored.model)).toEqual(await readWeights(first.model)); // the last one started
      expect(restored.state).toEqual(first.state);
      expect(await weightFiles(directory)).toHaveLength(1);
    }
  });
});

describe('a save deletes only files it wrote', () => {
  it("keeps the user's files, even those named like its own, and a manifest pointing outside the directory", async () => {
    const directory = `${root}/user-files`;
    await mkdir(directory, { recursive: true });
    const mine = { 'notes.tmp': 'notes', 'weights-final.bin': 'final', 'checkpoint.json.bak': '{}', 'weights-.bin': 'x' };
    for (const [name, text] of Object.entries(mine)) await writeFile(`${directory}/${name}`, text);
    await writeFile(`${root}/victim.bin`, 'outside');
    const instance = await trained(1);
    await instance.save(fileCheckpoint(directory));
    await instance.save(fileCheckpoint(directory));
    // A hand-edited manifest naming a file outside: the next save must not remove it.
    const manifest = JSON.parse(await readFile(`${directory}/checkpoint.json`, 'utf8')) as { weightsFile: string };
    await writeFile(`${directory}/checkpoint.json`, JSON.stringify({ ...manifest, weightsFile: '../victim.bin' }));
    await instance.save(fileCheckpoint(directory));
    for (const [name, text] of Object.entries(mine)) expect(await readFile(`${directory}/${name}`, 'utf8')).toBe(text);
    expect(await readFile(`${root}/victim.bin`, 'utf8')).toBe('outside');
    // Its own replaced files are gone except the one left by the edited manifest.
    expect((await weightFiles(directory)).filter((name) => /^weights-[0-9a-z]+-[0-9a-z]+\.bin$/.test(name))).toHaveLength(2);
  });
});

describe('a failed save removes what it wrote', () => {
  it.each([
    ['the weights file', (contents: Uint8Array | string) => typeof contents !== 'string'],
    ['the manifest', (contents: Uint8Array | string) => typeof contents === 'string'],
  ])('ENOSPC while writing %s leaves the old checkpoint and no partial file', async (_, failsOn) => {
    const directory = `${root}/full-${failsOn.toString().length}`;
    const original = await trained(1);
    await original.save(fileCheckpoint(directory));
    const before = (await readdir(directory)).sort();
    const saved = await readWeights(original.model);
    await original.fit(data, { epochs: 2, batchSize: 10 });
    const full: CheckpointFileSystem = {
      ...nodeFs(),
      writeFile: async (file, contents) => {
        if (!failsOn(contents)) return writeFile(file, contents);
        await writeFile(file, typeof contents === 'string' ? contents.slice(0, 5) : contents.subarray(0, 7)); // what fit before the disk filled
        throw enospc();
      },
    };
    await expect(original.save(fileCheckpoint(directory, { fileSystem: full }))).rejects.toMatchObject({ code: 'ENOSPC' });
    expect((await readdir(directory)).sort()).toEqual(before);
    const restored = trainer(7);
    await restored.load(fileCheckpoint(directory));
    expect(await readWeights(restored.model)).toEqual(saved);
  });
});

type Manifest = Record<string, unknown> & { weightsFile: string; weightSpecs: tf.io.WeightsManifestEntry[] };
/** Edits a saved checkpoint; returns a new manifest (object or text) to write, or nothing. */
type Edit = (directory: string, manifest: Manifest) => Promise<unknown>;

describe('a corrupt checkpoint is refused by name, with nothing loaded or leaked', () => {
  async function corrupted(name: string, edit: Edit) {
    const directory = `${root}/corrupt-${name}`;
    await (await trained(1)).save(fileCheckpoint(directory));
    const manifest = JSON.parse(await readFile(`${directory}/checkpoint.json`, 'utf8'));
    const edited = await edit(directory, manifest);
    if (edited !== undefined) await writeFile(`${directory}/checkpoint.json`, typeof edited === 'string' ? edited : JSON.stringify(edited));
    return directory;
  }

  it.each([
    ['truncated', async (directory, manifest) => writeFile(`${directory}/${manifest.weightsFile}`, (await readFile(`${directory}/${manifest.weightsFile}`)).subarray(0, 4)), /weights-\S+\.bin holds 4 bytes but checkpoint\.json's weightSpecs need 408$/],
    ['shape', async (_, manifest) => ({ ...manifest, weightSpecs: manifest.weightSpecs.map((spec, index) => (index === 0 ? { ...spec, shape: [2, 9] } : spec)) }), /holds 408 bytes but checkpoint\.json's weightSpecs need 416$/],
    ['negative-shape', async (_, manifest) => ({ ...manifest, weightSpecs: [{ ...manifest.weightSpecs[0], shape: [-1, 8] }] }), /weightSpecs\[0\]\.shape \(model\/dense\/kernel\) must be an array of non-negative integers; got \[-1,8\]$/],
    ['dtype', async (_, manifest) => ({ ...manifest, weightSpecs: [{ ...manifest.weightSpecs[0], dtype: 'float128' }] }), /weightSpecs\[0\]\.dtype \(model\/dense\/kernel\) is not a tfjs weight dtype; got "float128"$/],
    ['json', async () => '{"format": "heed-training-checkpoint", ', /checkpoint\.json is not valid JSON \(.+\)$/],
    ['not-object', async () => '[1, 2]', /checkpoint\.json is not a JSON object; got \[1,2\]$/],
    ['missing-spec', async (_, manifest) => ({ ...manifest, weightSpecs: manifest.weightSpecs.map((spec) => (spec.name === 'model/dense_1/kernel' ? { ...spec, name: 'model/renamed' } : spec)) }), /model weight \["dense_1\/kernel"\] listed in its metadata has no weight spec$/],
    ['metadata', async (_, manifest) => ({ ...manifest, userDefinedMetadata: {} }), /its format is "heed-training-checkpoint" but userDefinedMetadata\.heedCheckpoint is missing$/],
    ['outside', async (_, manifest) => ({ ...manifest, weightsFile: '../../etc/hostname' }), /checkpoint\.json's weightsFile must name a file inside the checkpoint directory; got "\.\.\/\.\.\/etc\/hostname"$/],
    ['absolute', async (_, manifest) => ({ ...manifest, weightsFile: '/etc/hostname' }), /weightsFile must name a file inside the checkpoint directory; got "\/etc\/hostname"$/],
    ['dev-zero', async (directory, manifest) => rm(`${directory}/${manifest.weightsFile}`).then(() => symlink('/dev/zero', `${directory}/${manifest.weightsFile}`)), /weights-\S+\.bin is not a regular file$/],
    ['missing-file', async (directory, manifest) => rm(`${directory}/${manifest.weightsFile}`), /cannot read weights-\S+\.bin \(ENOENT: .*\)$/],
  ] as [string, Edit, RegExp][])('%s', async (name, edit, message) => {
    const directory = await corrupted(name, edit);
    const model = trainer(8);
    const before = await readWeights(model.model);
    const tensors = tf.memory().numTensors;
    const error = await model.load(`file://${directory}`).catch((caught: Error) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message.startsWith(`corrupt checkpoint at ${directory}: `)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(await readWeights(model.model)).toEqual(before);
  });

  it('decodeCheckpoint on truncated in-memory artifacts throws by name and leaks no tensor', async () => {
    const source = await trained(1);
    const weights = Object.fromEntries(source.model.weights.map((weight) => [weight.name, weight.variable as tf.Tensor]));
    const artifacts = await encodeCheckpoint({ modelWeights: weights, displayNames: {}, optimizerSlots: {}, optimizerUpdates: 0, optimizerConfig: { name: 'sgd' }, scheduleConfig: {}, state: source.state });
    const tensors = tf.memory().numTensors;
    const truncated = { ...artifacts, weightData: (artifacts.weightData as ArrayBuffer).slice(0, 200) };
    expect(() => decodeCheckpoint(truncated, { where: 'memory://run' })).toThrow(/^corrupt checkpoint at memory:\/\/run: its weights do not decode \(.+\)$/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(() => decodeCheckpoint({ ...artifacts, format: undefined })).toThrow('not a @heed/training checkpoint: format is undefined, expected "heed-training-checkpoint"');
  });
});
