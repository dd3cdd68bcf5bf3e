import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeSeq2Seq } from '../seq2seq/seq2seq-io';
import { Seq2Seq } from '../seq2seq/seq2seq';
import { TextClassifier } from '../text-classifier/text-classifier';
import { trainWordPieceTokenizer } from '../text-classifier/wordpiece-tokenizer';
import { VitImageClassifier } from '../vit/vit-image-classifier';
import { HEED_STORAGE_FORMAT, isBrowserStorageDestination, readHeedModelFromStorage } from './heed-model-io';

// Browser storage in Node: tf.io's IndexedDB and localStorage routers answer only in a browser, so an
// in-memory store answers `indexeddb://` through the same router mechanism (tf.io.registerSaveRouter),
// keeping what a real IndexedDB keeps: the artifacts object, structured-cloned. The demo's Chromium
// e2e (dates page) runs the real IndexedDB.
const store = new Map<string, tf.io.ModelArtifacts>();
const memoryHandler = (url: string): tf.io.IOHandler => {
  const key = url.slice('indexeddb://'.length);
  return {
    save: async (artifacts) => {
      store.set(key, structuredClone(artifacts));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    load: async () => {
      const artifacts = store.get(key);
      if (!artifacts) throw new Error(`no model at ${url}`);
      return structuredClone(artifacts);
    },
  };
};
// tf.io's IORouter type says IOHandler, its routers return null for URLs they do not take (as tfjs' own do).
const route = ((url: string | string[]) => (typeof url === 'string' && url.startsWith('indexeddb://') ? memoryHandler(url) : null)) as Parameters<typeof tf.io.registerSaveRouter>[0];

const texts = ['a good film', 'a bad film', 'good and fun', 'bad and dull'];
const tokenizer = trainWordPieceTokenizer(texts, { vocabSize: 60, minFrequency: 1 });
const textConfig = { kind: 'bilstm-attention' as const, vocabSize: tokenizer.vocabSize, maxLength: 8, numClasses: 2, labels: ['neg', 'pos'], embeddingDim: 8, hiddenDim: 4, attentionUnits: 4, dropout: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
  tf.io.registerSaveRouter(route);
  tf.io.registerLoadRouter(route);
});

describe('heed models in browser storage (indexeddb://, localstorage://)', () => {
  it('every family saves the heed format as one entry (config.json as topology, model.safetensors as weight data) and loads it back exactly, leaking nothing', async () => {
    const models = {
      vit: new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2 }),
      seq2seq: new Seq2Seq({ sourceVocabSize: 7, targetVocabSize: 6, attention: 'luong-general', embeddingDim: 4, encoderUnits: 4, decoderUnits: 4 }),
      text: new TextClassifier(textConfig, tokenizer),
    };
    const load = { vit: VitImageClassifier.load, seq2seq: Seq2Seq.load, text: TextClassifier.load };
    for (const [family, model] of Object.entries(models) as [keyof typeof models, (typeof models)[keyof typeof models]][]) {
      const url = `indexeddb://heed-${family}`;
      await model.save(url);
      const entry = store.get(`heed-${family}`)!;
      expect(entry.format).toBe(HEED_STORAGE_FORMAT);
      expect(entry.modelTopology).toMatchObject({ format: 'heed', format_version: 1, family });
      const bytes = new Uint8Array(entry.weightData as ArrayBuffer);
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + Number(new DataView(bytes.buffer).getBigUint64(0, true))))) as Record<string, unknown>;
      expect(header.__metadata__).toEqual({ format: 'heed', family });
      const before = tf.memory().numTensors;
      const loaded = await load[family](url);
      const [saved, reloaded] = [await model.toSaved(), await loaded.toSaved()];
      expect(reloaded.json).toEqual(saved.json);
      expect([...reloaded.tensors.keys()]).toEqual([...saved.tensors.keys()]);
      for (const [name, tensor] of saved.tensors) expect(reloaded.tensors.get(name)!.data).toEqual(tensor.data);
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
      model.dispose();
    }
  });

  it('entries in tf.io formats written by earlier versions still load (a LayersModel with metadata, Seq2Seq artifacts)', async () => {
    const classifier = new TextClassifier(textConfig, tokenizer);
    await classifier.model.save('indexeddb://legacy-text'); // what TextClassifier.save wrote there before
    expect(store.get('legacy-text')!.format).toBe('layers-model');
    expect(await readHeedModelFromStorage('indexeddb://legacy-text')).toBeUndefined();
    const again = await TextClassifier.load('indexeddb://legacy-text');
    expect(await again.predictProbabilities(texts)).toEqual(await classifier.predictProbabilities(texts));
    const g2p = new Seq2Seq({ sourceVocabSize: 7, targetVocabSize: 6, attention: 'luong-general', embeddingDim: 4, encoderUnits: 4, decoderUnits: 4 });
    store.set('legacy-g2p', await encodeSeq2Seq(g2p.getConfig(), g2p.weights, undefined));
    const g2pAgain = await Seq2Seq.load('indexeddb://legacy-g2p');
    for (const [name, tensor] of (await g2p.toSaved()).tensors) expect((await g2pAgain.toSaved()).tensors.get(name)!.data).toEqual(tensor.data);
    for (const model of [classifier, again, g2p, g2pAgain]) model.dispose();
  });

  it('a damaged entry is an error naming the entry and the tensor, and nothing is left allocated', async () => {
    const vit = new VitImageClassifier({ imageSize: 4, patchSize: 2, dim: 8, depth: 1, heads: 2, mlpDim: 8, numClasses: 2 });
    await vit.save('indexeddb://damaged');
    const entry = store.get('damaged')!;
    entry.weightData = (entry.weightData as ArrayBuffer).slice(0, (entry.weightData as ArrayBuffer).byteLength - 4);
    const before = tf.memory().numTensors;
    await expect(VitImageClassifier.load('indexeddb://damaged')).rejects.toThrow(/^VisionTransformer\.load: .*indexeddb:\/\/damaged \(model\.safetensors\)/);
    expect(tf.memory().numTensors).toBe(before);
    vit.dispose();
  });

  it('names browser storage, and where no browser router answers says so', async () => {
    expect(['indexeddb://a', 'localstorage://a', 'downloads://a', 'file:///a', 'https://x/a'].map(isBrowserStorageDestination)).toEqual([true, true, false, false, false]);
    await expect(readHeedModelFromStorage('localstorage://nothing-in-node', 'Seq2Seq.load: ')).rejects.toThrow('Seq2Seq.load: no tf.io load handler for "localstorage://nothing-in-node": IndexedDB and localStorage exist only in browsers');
  });
});
