import { cp, mkdtemp, readFile, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, nodeFileHandler } from '@heed/backends';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSentimentNode } from '../data/text/load-sentiment-node';
import { sentimentDataset } from '../data/text/sentiment-dataset';
import { loadSklearnDigitsNode } from '../data/digits/load-sklearn-digits-node';
import { sklearnDigitsDataset } from '../data/digits/sklearn-digits-dataset';
import { TextClassifier } from '../text-classifier/text-classifier';
import { VisionTransformer } from '../vit/vit-image-classifier';
import { loadPretrained, pretrainedPath, readPretrainedResults } from './load-pretrained-node';
import { loadPretrainedUrl, PRETRAINED_FILES, PRETRAINED_NAMES, pretrainedUrl } from './pretrained-models';

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

  it('every shipped folder holds exactly model.json, weights.bin and results.json, and model.json points at ./weights.bin', async () => {
    const { readdir } = await import('node:fs/promises');
    const shipped = (await readdir(join(pretrainedPath('digits'), '..'))).sort();
    expect(shipped.length).toBeGreaterThanOrEqual(3);
    for (const name of shipped) {
      expect(PRETRAINED_NAMES).toContain(name);
      expect((await readdir(pretrainedPath(name as 'digits'))).sort()).toEqual([PRETRAINED_FILES.model, PRETRAINED_FILES.results, PRETRAINED_FILES.weights]);
      const json = JSON.parse(await readFile(join(pretrainedPath(name as 'digits'), PRETRAINED_FILES.model), 'utf8')) as { weightsManifest: Array<{ paths: string[] }> };
      expect(json.weightsManifest[0]!.paths).toEqual(['./weights.bin']);
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

  it('a missing model.json or weights.bin', async () => {
    const root = await copyOf('digits', 'digits', 'missing');
    await rm(join(root, 'digits', 'weights.bin'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`cannot read ${join(root, 'digits', 'weights.bin')}`);
    await rm(join(root, 'digits', 'model.json'));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`cannot read ${join(root, 'digits', 'model.json')}`);
  });

  it('a corrupt model.json', async () => {
    const root = await copyOf('digits', 'digits', 'corrupt-json');
    const file = join(root, 'digits', 'model.json');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 500));
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} is not valid JSON`);
  });

  it('a truncated weights.bin (byte count against the manifest)', async () => {
    const root = await copyOf('digits', 'digits', 'truncated');
    const file = join(root, 'digits', 'weights.bin');
    await truncate(file, 1000);
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} has 1000 bytes but ${join(root, 'digits', 'model.json')} describes 544552 bytes`);
  });

  it('a weights.bin linked to /dev/zero, and weights that are NaN (refused before reading or using them)', async () => {
    const root = await copyOf('digits', 'digits', 'dev-zero');
    const file = join(root, 'digits', 'weights.bin');
    const bytes = await readFile(file);
    await rm(file);
    await symlink('/dev/zero', file);
    await expect(loadPretrained('digits', root)).rejects.toThrow(`${file} is not a regular file (a device, directory or socket)`); // used to hang
    await rm(file);
    const poisoned = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)).fill(NaN);
    await writeFile(file, new Uint8Array(poisoned.buffer));
    await expect(loadPretrained('digits', root)).rejects.toThrow(/weights\.bin: weight \S+ \[[\d, ]+\] holds \d+ of \d+ values that are NaN or Infinity \(the first at flat index 0: NaN\)/);
  });

  it('weights whose shapes do not match the architecture', async () => {
    const root = await copyOf('digits', 'digits', 'shapes');
    const file = join(root, 'digits', 'model.json');
    const json = JSON.parse(await readFile(file, 'utf8')) as { weightsManifest: Array<{ weights: Array<{ name: string; shape: number[] }> }> };
    const head = json.weightsManifest[0]!.weights.find((spec) => spec.name.startsWith('head/kernel'))!;
    head.shape = [...head.shape].reverse(); // (64, 10) → (10, 64): same bytes, wrong shape
    await writeFile(file, JSON.stringify(json));
    await expect(loadPretrained('digits', root)).rejects.toThrow(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} and its weights do not load: .*shape mismatch`, 'is'));
  });

  it('a model of another kind under the name', async () => {
    const root = await copyOf('digits', 'spam', 'kind');
    await expect(loadPretrained('spam', root)).rejects.toThrow(`${join(root, 'spam', 'model.json')} holds a vit model; expected a text model`);
  });
});

describe('nodeFileHandler and file:// save/load', () => {
  it('round-trips a ViT through model.json + weights.bin with its configuration, giving the same logits', async () => {
    const vit = new VisionTransformer({ imageSize: 8, patchSize: 4, dim: 16, depth: 1, heads: 2, mlpDim: 16, numClasses: 3 });
    const directory = join(scratch, 'roundtrip');
    await vit.save(`file://${directory}`);
    const again = await VisionTransformer.load(nodeFileHandler(directory));
    expect(again.getConfig()).toEqual(vit.getConfig());
    const images = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    const [first, second] = [vit.predict(images), again.predict(images)];
    expect(Array.from(await second.data())).toEqual(Array.from(await first.data()));
    tf.dispose([images, first, second]);
    vit.dispose();
    again.dispose();
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
    expect(pretrainedUrl('/weights/', 'digits')).toBe('/weights/digits/model.json');
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
    await expect(loadPretrainedUrl(`${base}missing`, 'digits')).rejects.toThrow(/loadPretrainedUrl\("digits"\): cannot load http:\/\/127\.0\.0\.1:\d+\/missing\/digits\/model\.json/);
  });
});
