import { cp, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, nodeFileHandler } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMnistNode } from '../data/mnist/load-mnist-node';
import { mnistDataset } from '../data/mnist/mnist-dataset';
import { loadSentimentNode } from '../data/text/load-sentiment-node';
import { sentimentDataset } from '../data/text/sentiment-dataset';
import { loadSklearnDigitsNode } from '../data/digits/load-sklearn-digits-node';
import { sklearnDigitsDataset } from '../data/digits/sklearn-digits-dataset';
import { TextClassifier } from '../text-classifier/text-classifier';
import { VisionTransformer } from '../vit/vit-image-classifier';
import { loadPretrained, pretrainedPath, readPretrainedResults } from './load-pretrained-node';
import { loadPretrainedUrl, PRETRAINED_FILES, PRETRAINED_MODELS, PRETRAINED_NAMES, pretrainedUrl } from './pretrained-models';

let scratch: string;

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  scratch = await mkdtemp(join(tmpdir(), 'heed-pretrained-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** A copy of the shipped `source` weights under `<scratch>/<case>/<as>/`, returned as the weights root. */
async function copyOf(source: 'digits', as: string, label: string): Promise<string> {
  const root = join(scratch, label);
  await cp(pretrainedPath(source), join(root, as), { recursive: true });
  return root;
}

describe('shipped weights', () => {
  it('digits: the shipped ViT scores on the fixed test split exactly what its results.json recorded at training time', async () => {
    const before = tf.memory().numTensors;
    const vit = await loadPretrained('digits');
    expect(vit).toBeInstanceOf(VisionTransformer);
    const { test } = sklearnDigitsDataset(await loadSklearnDigitsNode());
    const images = tf.tensor4d(test.images, test.shape);
    const predicted = await vit.classify(images);
    images.dispose();
    const correct = predicted.filter((label, index) => label === test.labels[index]).length;
    const results = await readPretrainedResults('digits');
    expect(results.metrics.testExamples).toBe(test.count);
    expect(correct / test.count).toBe(results.metrics.accuracy);
    expect(correct / test.count).toBeGreaterThan(0.98);
    vit.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('sentiment: the shipped classifier reproduces its recorded test accuracy and explains per token', async () => {
    const classifier = await loadPretrained('sentiment');
    expect(classifier).toBeInstanceOf(TextClassifier);
    const { test } = sentimentDataset(await loadSentimentNode());
    const predicted = await classifier.classify(test.map((example) => example.text));
    const correct = predicted.filter((label, index) => label === test[index]!.label).length;
    expect(correct / test.length).toBe((await readPretrainedResults('sentiment')).metrics.accuracy);
    const why = await classifier.explain('The food was wonderful and the staff were friendly.');
    expect(why.labelName).toBe('positive');
    expect(why.tokens.length).toBe(why.weights.length);
    classifier.dispose();
  });

  it('mnist and sentiment-transformer: the re-exported weights score exactly what their results.json recorded', async () => {
    const vit = await loadPretrained('mnist');
    const { test } = mnistDataset(await loadMnistNode());
    const images = tf.tensor4d(test.images, test.shape);
    const predicted = await vit.classify(images);
    images.dispose();
    vit.dispose();
    const mnist = await readPretrainedResults('mnist');
    expect(test.count).toBe(mnist.metrics.testExamples);
    expect(predicted.filter((label, index) => label === test.labels[index]).length / test.count).toBe(mnist.metrics.accuracy);
    const classifier = await loadPretrained('sentiment-transformer');
    const sentences = sentimentDataset(await loadSentimentNode()).test;
    const labels = await classifier.classify(sentences.map((example) => example.text));
    classifier.dispose();
    expect(labels.filter((label, index) => label === sentences[index]!.label).length / sentences.length).toBe((await readPretrainedResults('sentiment-transformer')).metrics.accuracy);
  }, 60_000);

  it('every shipped folder holds exactly config.json, model.safetensors and results.json, in the heed format of its family', async () => {
    const { readdir } = await import('node:fs/promises');
    const shipped = (await readdir(join(pretrainedPath('digits'), '..'))).filter((name) => PRETRAINED_NAMES.includes(name as 'digits')).sort();
    expect(shipped).toEqual([...PRETRAINED_NAMES].sort());
    for (const name of shipped) {
      if (PRETRAINED_MODELS[name as 'digits'].kind === 'hf-text') continue; // Hugging Face layout: sentiment-bert.test.ts checks those
      expect((await readdir(pretrainedPath(name as 'digits'))).sort()).toEqual([PRETRAINED_FILES.config, PRETRAINED_FILES.weights, PRETRAINED_FILES.results]);
      const json = JSON.parse(await readFile(join(pretrainedPath(name as 'digits'), PRETRAINED_FILES.config), 'utf8')) as { format: string; format_version: number; family: string };
      expect([json.format, json.format_version, json.family]).toEqual(['heed', 1, PRETRAINED_MODELS[name as 'digits'].kind]);
      const results = await readPretrainedResults(name as 'digits');
      expect(typeof results.command).toBe('string');
      // The classifier weights (this package's ViT and text models) also record their metrics and date.
      if (name !== 'g2p') {
        expect(typeof results.metrics.accuracy).toBe('number');
        expect(Number.isNaN(Date.parse(results.date))).toBe(false);
      }
    }
  });
});

describe('loadPretrained errors name the file', () => {
  it('refuses an unknown name, listing the known ones', async () => {
    await expect(loadPretrained('cifar' as 'digits')).rejects.toThrow(/unknown model "cifar"; known: g2p, mnist, digits/);
  });

  it('a missing model.safetensors or config.json', async () => {
    const root = await copyOf('digits', 'digits', 'missing');
    await rm(join(root, 'digits', 'model.safetensors'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`loadPretrained("digits"): cannot read ${join(root, 'digits', 'model.safetensors')}`);
    await rm(join(root, 'digits', 'config.json'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`cannot read ${join(root, 'digits', 'config.json')} or the legacy ${join(root, 'digits', 'model.json')}`);
  });

  it('a corrupt config.json, and one that is not a heed model', async () => {
    const root = await copyOf('digits', 'digits', 'corrupt-json');
    const file = join(root, 'digits', 'config.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.slice(0, 100));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} is not valid JSON`);
    await writeFile(file, JSON.stringify({ model_type: 'vit', hidden_size: 64 }));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} is not a heed model config: format is undefined, expected "heed" (it is a Hugging Face config: use fromPretrained)`);
    await writeFile(file, text.replace('"format_version":1', '"format_version":7'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file}: format_version 7 is not supported`);
  });

  it('a truncated model.safetensors', async () => {
    const root = await copyOf('digits', 'digits', 'truncated');
    const file = join(root, 'digits', 'model.safetensors');
    await truncate(file, 1000);
    await expect(loadPretrained('digits', root)).rejects.toThrow(file);
    await truncate(file, 4);
    await expect(loadPretrained('digits', root)).rejects.toThrow(file);
  });

  it('a model.safetensors linked to /dev/zero, and weights that are NaN (refused before reading or using them)', async () => {
    const root = await copyOf('digits', 'digits', 'dev-zero');
    const file = join(root, 'digits', 'model.safetensors');
    const bytes = await readFile(file);
    await rm(file);
    await symlink('/dev/zero', file);
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} is not a regular file (a device, directory or socket)`); // never read
    await rm(file);
    const headerEnd = 8 + Number(bytes.readBigUInt64LE(0));
    const poisoned = Buffer.from(bytes);
    new Float32Array(poisoned.buffer, poisoned.byteOffset + headerEnd, 4).fill(NaN); // the first tensor's first values
    await writeFile(file, poisoned);
    const before = tf.memory().numTensors;
    await expect(loadPretrained('digits', root)).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(tensor "patch_embedding/kernel"\\): \\[16, 64\\] holds 4 of 1024 values that are NaN or Infinity \\(the first at flat index 0: NaN\\)`),
    );
    expect(tf.memory().numTensors).toBe(before); // nothing was built
  });

  it('weights whose shapes do not match the config, and a missing tensor (nothing half loaded)', async () => {
    const root = await copyOf('digits', 'digits', 'shapes');
    const file = join(root, 'digits', 'config.json');
    const weights = join(root, 'digits', 'model.safetensors');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('"numClasses":10', '"numClasses":9'));
    const before = tf.memory().numTensors;
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${weights}: tensor "head/kernel" has shape [64, 10] but the config expects [64, 9]`);
    await writeFile(file, text.replace('"depth":4', '"depth":3'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${weights} does not hold the weights its config describes (missing: none; unexpected: encoder_block_3/self_attention/query/kernel`);
    expect(tf.memory().numTensors).toBe(before); // the half-built models were disposed
  });

  it('a model of another family under the name', async () => {
    const root = await copyOf('digits', 'spam', 'kind');
    await expect(loadPretrained('spam', root)).rejects.toThrow(`${join(root, 'spam', 'config.json')} holds a vit model; expected a text model`);
  });
});

describe('save and load through a folder (the heed format) and the legacy layout', () => {
  it('round-trips a ViT through config.json + model.safetensors with its configuration, giving the same logits', async () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, dim: 16, depth: 1, heads: 2, mlpDim: 16, numClasses: 3 });
    const directory = join(scratch, 'roundtrip');
    await vit.save(`file://${directory}`);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(directory)).sort()).toEqual(['config.json', 'model.safetensors']);
    const again = await VisionTransformer.load(directory);
    expect(again.getConfig()).toEqual(vit.getConfig());
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    const [first, second] = [vit.predict(images), again.predict(images)];
    expect(Array.from(await second.data())).toEqual(Array.from(await first.data()));
    tf.dispose([images, first, second]);
    vit.dispose();
    again.dispose();
  });

  it('a weights root in the legacy layout (model.json + weights.bin) still loads, with the same predictions', async () => {
    const heed = await loadPretrained('digits');
    const root = join(scratch, 'legacy-root');
    await heed.save(nodeFileHandler(join(root, 'digits'))); // a tf.io handler: the legacy artifacts
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(join(root, 'digits'))).sort()).toEqual(['model.json', 'weights.bin']);
    const legacy = await loadPretrained('digits', root);
    const images = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 4);
    const [first, second] = [heed.predict(images), legacy.predict(images)];
    expect(Array.from(await second.data())).toEqual(Array.from(await first.data()));
    tf.dispose([images, first, second]);
    heed.dispose();
    legacy.dispose();
  });
});

describe('loading by URL (as the demo does)', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    const root = join(pretrainedPath('digits'), '..');
    server = createServer((request, response) => {
      readFile(join(root, decodeURIComponent(request.url ?? '/').replace(/\.\./g, ''))).then(
        (body) => response.writeHead(200, { 'content-type': extname(request.url ?? '') === '.json' ? 'application/json' : 'application/octet-stream' }).end(body),
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as { port: number };
    base = `http://127.0.0.1:${address.port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('pretrainedUrl builds <base>/<name>/<file>', () => {
    expect(pretrainedUrl('/weights/', 'digits')).toBe('/weights/digits/config.json');
    expect(pretrainedUrl('/weights', 'g2p', 'weights')).toBe('/weights/g2p/model.safetensors');
    expect(pretrainedUrl('https://x.org/w', 'spam', 'results')).toBe('https://x.org/w/spam/results.json');
    expect(() => pretrainedUrl('/w', 'nope' as 'spam')).toThrow(/unknown model "nope"/);
  });

  it('loadPretrainedUrl gives the same model as the Node loader', async () => {
    const [fromUrl, fromFile] = [await loadPretrainedUrl(base, 'digits'), await loadPretrained('digits')];
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 5);
    const [first, second] = [fromUrl.predict(images), fromFile.predict(images)];
    expect(Array.from(await first.data())).toEqual(Array.from(await second.data()));
    tf.dispose([images, first, second]);
    fromUrl.dispose();
    fromFile.dispose();
    await expect(loadPretrainedUrl(base, 'sentiment-transformer' as 'digits').then((model) => model.dispose())).resolves.toBeUndefined();
    await expect(loadPretrainedUrl(`${base}missing`, 'digits')).rejects.toThrow(/loadPretrainedUrl\("digits"\): cannot load http:\/\/127\.0\.0\.1:\d+\/missing\/digits\/config\.json: VisionTransformer\.load: cannot fetch http:\/\/127\.0\.0\.1:\d+\/missing\/digits\/config\.json: 404/);
    // A model of every family loads by URL: the Seq2Seq too.
    const [g2pUrl, g2pFile] = [await loadPretrainedUrl(base, 'g2p'), await loadPretrained('g2p')];
    const word = [[5, 6, 7, 8, 9]];
    expect((await g2pUrl.generate(word))[0]!.tokens).toEqual((await g2pFile.generate(word))[0]!.tokens);
    g2pUrl.dispose();
    g2pFile.dispose();
  });
});
