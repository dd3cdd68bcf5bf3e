import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { nodeFileSystem, type NodeFileSystem } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../hf/safetensors/byte-source';
import { safetensorsBytes } from '../hf/safetensors/serialize-safetensors';
import { Seq2Seq } from '../seq2seq/seq2seq';
import { TextClassifier } from '../text-classifier/text-classifier';
import { trainWordPieceTokenizer } from '../text-classifier/wordpiece-tokenizer';
import { VitImageClassifier } from '../vit/vit-image-classifier';
import { decodeHeedModel, heedConfigJson, parseHeedConfig, readHeedWeights, serializeHeedModel } from './heed-format';
import { isFolderDestination, locateSavedModel, readHeedModel, saveHeedModel } from './heed-model-io';
import { loadSavedModel } from './model-families';
import { layersModelSlots, roleName } from './saved-tensors';

let scratch: string;
const texts = ['a good film', 'a bad film', 'good and fun', 'bad and dull'];
const tokenizer = trainWordPieceTokenizer(texts, { vocabSize: 60, minFrequency: 1 });
const textConfig = { kind: 'bilstm-attention' as const, vocabSize: tokenizer.vocabSize, maxLength: 8, numClasses: 2, labels: ['neg', 'pos'], embeddingDim: 8, hiddenDim: 4, attentionUnits: 4, dropout: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  scratch = await mkdtemp(join(tmpdir(), 'heed-format-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('the heed format: config.json + model.safetensors', () => {
  it('a BiLSTM classifier saves by role names that do not depend on what the process built before, and loads back exactly', async () => {
    const first = new TextClassifier(textConfig, tokenizer);
    const second = new TextClassifier(textConfig, tokenizer); // its LSTM gets another generated name
    expect(first.model.weights.map((weight) => weight.originalName)).not.toEqual(second.model.weights.map((weight) => weight.originalName));
    expect([...layersModelSlots(first.model).keys()]).toEqual([...layersModelSlots(second.model).keys()]);
    expect([...layersModelSlots(first.model).keys()]).toContain('bilstm/backward/recurrent_kernel');
    const directory = join(scratch, 'text');
    await first.save(directory);
    const before = tf.memory().numTensors;
    const again = await TextClassifier.load(`file://${directory}`);
    expect(again.getConfig()).toEqual(first.getConfig());
    expect(await again.predictProbabilities(texts)).toEqual(await first.predictProbabilities(texts));
    again.dispose();
    expect(tf.memory().numTensors).toBe(before);
    first.dispose();
    second.dispose();
  });

  it('every family loads through loadSavedModel from its config.json alone; the file holds F32 tensors and the family in __metadata__', async () => {
    const models = {
      vit: new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2 }),
      seq2seq: new Seq2Seq({ sourceVocabSize: 7, targetVocabSize: 6, attention: 'luong-general', embeddingDim: 4, encoderUnits: 4, decoderUnits: 4 }),
      text: new TextClassifier(textConfig, tokenizer),
    };
    for (const [family, model] of Object.entries(models)) {
      const directory = join(scratch, `family-${family}`);
      await model.save(directory);
      const loaded = (await loadSavedModel(directory)) as { constructor: unknown; toSaved(): ReturnType<VitImageClassifier['toSaved']>; dispose(): void };
      expect(loaded.constructor).toBe(model.constructor);
      const [saved, reloaded] = [await model.toSaved(), await loaded.toSaved()];
      expect(reloaded.json).toEqual(saved.json);
      expect([...reloaded.tensors.keys()]).toEqual([...saved.tensors.keys()]);
      for (const [name, tensor] of saved.tensors) expect(reloaded.tensors.get(name)!.data).toEqual(tensor.data);
      const bytes = await readFile(join(directory, 'model.safetensors'));
      const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString()) as Record<string, { dtype?: string }>;
      expect(header.__metadata__).toEqual({ format: 'heed', family });
      expect(new Set(Object.entries(header).filter(([name]) => name !== '__metadata__').map(([, entry]) => entry.dtype))).toEqual(new Set(['F32']));
      loaded.dispose();
      model.dispose();
    }
  });

  it('a save that fails half way leaves the previous model intact and no temporary file', async () => {
    const directory = join(scratch, 'atomic');
    const old = new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2 });
    await old.save(directory);
    const oldConfig = await readFile(join(directory, 'config.json'), 'utf8');
    const real = await nodeFileSystem();
    const failing: NodeFileSystem = { ...real, writeFile: async (path, data) => (path.includes('config.json') ? Promise.reject(new Error('EIO: disk failed')) : real.writeFile(path, data)) };
    const other = new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 3 });
    await expect(saveHeedModel(await other.toSaved(), directory, 'save: ', failing)).rejects.toThrow(`save: cannot write ${directory}/config.json (the previous files are untouched): EIO: disk failed`);
    expect((await readdir(directory)).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(await readFile(join(directory, 'config.json'), 'utf8')).toBe(oldConfig);
    const reloaded = await VitImageClassifier.load(directory);
    expect(reloaded.config.numClasses).toBe(2);
    [old, other, reloaded].forEach((model) => model.dispose());
  });

  it('refuses bad files naming the file and the tensor', async () => {
    expect(() => parseHeedConfig('{"format": "heed", "format_version": 1, "family": "", "config": {}}', 'x/config.json')).toThrow('x/config.json: family must be a non-empty string; got ""');
    expect(() => parseHeedConfig('{"format": "heed", "format_version": 1, "family": "vit", "config": [1]}', 'x/config.json')).toThrow('x/config.json: config must be an object; got [1]');
    expect(() => parseHeedConfig('[]', 'x/config.json')).toThrow('x/config.json is not a heed model config: format is undefined, expected "heed"');
    const ints = await safetensorsBytes({ ids: { shape: [2], bytes: new Uint8Array(8), dtype: 'I32' } });
    await expect(readHeedWeights(bytesSource(ints, 'x/model.safetensors'))).rejects.toThrow('x/model.safetensors (tensor "ids"): dtype I32; a heed model\'s weights are F32 (or F16/BF16)');
    const infinite = await safetensorsBytes({ 'head/bias': { shape: [3], data: new Float32Array([0, Infinity, 1]) } });
    await expect(readHeedWeights(bytesSource(infinite, 'x/model.safetensors'))).rejects.toThrow('x/model.safetensors (tensor "head/bias"): [3] holds 1 of 3 values that are NaN or Infinity (the first at flat index 1: Infinity)');
    const half = await safetensorsBytes({ 'head/bias': { shape: [2], data: new Float32Array([0.5, -2]), dtype: 'F16' } });
    expect((await readHeedWeights(bytesSource(half, 'half.safetensors'))).get('head/bias')!.data).toEqual(new Float32Array([0.5, -2]));
    const saved = await decodeHeedModel(JSON.stringify(heedConfigJson('nope', {})), half, { config: 'n/config.json', weights: 'n/model.safetensors' });
    await expect(async () => (await import('./model-families')).modelFromSaved(saved)).rejects.toThrow('n/config.json names the family "nope", which is not registered; known: seq2seq, vit, text');
  });

  it('a folder save where there is no Node (a browser) is refused, saying what to use instead, and writes nothing', async () => {
    const vit = new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2 });
    const versions = Object.getOwnPropertyDescriptor(process, 'versions')!;
    Object.defineProperty(process, 'versions', { ...versions, value: { ...process.versions, node: undefined } });
    try {
      await expect(vit.save(join(scratch, 'browser'))).rejects.toThrow('VisionTransformer.save: ' + JSON.stringify(join(scratch, 'browser')) + ' is a folder, and only Node saves to folders; in a browser save to indexeddb:// or offer serializeHeedModel(await model.toSaved()) as downloads');
    } finally {
      Object.defineProperty(process, 'versions', versions);
    }
    expect(process.versions.node).toBeTypeOf('string');
    await expect(readdir(join(scratch, 'browser'))).rejects.toThrow(/ENOENT/);
    vit.dispose();
  });

  it('routes folders, URLs and tf.io strings: the heed format on disk, tf.io artifacts elsewhere, legacy files by their model.json', async () => {
    expect([isFolderDestination('file:///tmp/x'), isFolderDestination('out/model'), isFolderDestination('indexeddb://x'), isFolderDestination('https://x.org/m')]).toEqual([true, true, false, false]);
    expect(await locateSavedModel('indexeddb://x')).toEqual({ legacy: 'indexeddb://x' });
    expect(await locateSavedModel('https://x.org/w/digits/model.json')).toEqual({ legacy: 'https://x.org/w/digits/model.json' });
    expect(await locateSavedModel('https://x.org/w/digits/')).toEqual({ heed: 'https://x.org/w/digits/' });
    expect(await locateSavedModel(join(scratch, 'atomic', 'config.json'))).toEqual({ heed: join(scratch, 'atomic') });
    expect(roleName('bilstm/forward_lstm_LSTM12/kernel')).toBe('bilstm/forward/kernel');
    expect(roleName('encoder_block_0/feedforward_output_dense/kernel')).toBe('encoder_block_0/feedforward_output_dense/kernel');
    const { config, weights } = await serializeHeedModel(await readHeedModel(join(scratch, 'atomic')));
    expect(JSON.parse(config)).toMatchObject({ format: 'heed', format_version: 1, family: 'vit' });
    expect(weights.size).toBe((await readFile(join(scratch, 'atomic', 'model.safetensors'))).byteLength);
  });
});
