// As a web app that loads a saved model with heed layers would: a Vite production build of small
// pages (bundle/) that import @heed/attention or @heed/models only for their layer registrations
// (`tf.serialization.registerClass` at module top level) and load the model with plain
// tf.loadLayersModel, run in headless Chromium. A package whose package.json says
// "sideEffects": false lets the bundler drop such an import, and the load then fails with
// "Unknown layer"; the last test builds the pages that way to show it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { PositionEmbedding, TransformerEncoderBlock } from '@heed/attention';
import { layersFileHandler, sklearnDigitsDataset } from '@heed/models';
import { loadPretrained, loadSklearnDigitsNode } from '@heed/models/node';
import { browserUnavailable, launchChromium, serveStatic } from '@heed/browser-testing';
import { build, createFilter } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const LIBRARIES = ['backends', 'attention', 'training', 'tokenizers', 'viz', 'models'];
const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping the bundler test in Chromium: ${skipReason}`);

/** Whether a bundler treats `file` of package `name` as having side effects, read as Vite reads package.json's `sideEffects`. */
function declaresSideEffects(name, file) {
  const packageDir = join(root, 'packages', name);
  const { sideEffects } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  if (typeof sideEffects === 'boolean') return sideEffects;
  if (!Array.isArray(sideEffects)) return true; // undeclared: bundlers assume side effects
  const filter = createFilter(
    sideEffects.map((pattern) => (pattern.includes('/') ? pattern : `**/${pattern}`)),
    null,
    { resolve: packageDir },
  );
  return filter(file);
}

/** Every built JavaScript file of package `name`, as absolute paths. */
function distFiles(name) {
  const dist = join(root, 'packages', name, 'dist');
  return readdirSync(dist, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.js'))
    .map((file) => join(dist, file));
}

const PAGES = ['attention', 'models', 'attention-side-effect-free', 'models-side-effect-free'];
const SIDE_EFFECT_FREE = '?as-if-side-effect-free';

/**
 * A Vite plugin that resolves `@heed/<name>?as-if-side-effect-free` to a second copy of the
 * package's entry that the bundler reads as `"sideEffects": false` says (Rollup's
 * `moduleSideEffects: false`), so one build shows both outcomes.
 */
const asIfSideEffectFree = {
  name: 'heed-as-if-side-effect-free',
  async resolveId(source, importer, options) {
    if (!source.endsWith(SIDE_EFFECT_FREE)) return null;
    const resolved = await this.resolve(source.slice(0, -SIDE_EFFECT_FREE.length), importer, { ...options, skipSelf: true });
    return resolved && { id: `${resolved.id}${SIDE_EFFECT_FREE}`, moduleSideEffects: false };
  },
  load(id) {
    return id.endsWith(SIDE_EFFECT_FREE) ? { code: readFileSync(id.slice(0, -SIDE_EFFECT_FREE.length), 'utf8'), moduleSideEffects: false } : null;
  },
};

/** Builds the pages of bundle/ into `outDir` for production. */
async function buildPages(outDir) {
  const pages = join(here, 'bundle');
  await build({
    configFile: false,
    root: pages,
    base: './',
    logLevel: 'error',
    plugins: [asIfSideEffectFree],
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8192,
      reportCompressedSize: false,
      rollupOptions: { input: Object.fromEntries(PAGES.map((page) => [page, join(pages, `${page}.html`)])) },
    },
  });
}

/** A small model of @heed/attention layers, saved as model.json + weights.bin into `folder`. */
async function saveAttentionModel(folder) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [5, 3], units: 8 }),
      new PositionEmbedding({ sequenceLength: 5, initializer: 'randomNormal' }),
      new TransformerEncoderBlock({ numHeads: 2, intermediateDim: 16 }),
    ],
  });
  await model.save(layersFileHandler(folder));
  model.dispose();
}

describe('a Vite production build of a page that loads a saved model with heed layers', () => {
  it('declares every built file that registers layer classes in its package.json "sideEffects"', () => {
    const registering = LIBRARIES.flatMap((name) => distFiles(name).filter((file) => readFileSync(file, 'utf8').includes('serialization.registerClass(')).map((file) => [name, file]));
    expect(registering.map(([name]) => name)).toEqual(expect.arrayContaining(['attention', 'models']));
    for (const [name, file] of registering) expect(declaresSideEffects(name, file), `${file} registers classes`).toBe(true);
    // Files that register nothing stay tree-shakable as a whole.
    for (const name of ['tokenizers', 'viz']) for (const file of distFiles(name)) expect(declaresSideEffects(name, file), file).toBe(false);
  });

  describe.skipIf(skipReason !== undefined)('in headless Chromium', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'heed-bundle-'));
    let browser;
    let server;
    let url;
    /** 20 test digits of scikit-learn's 8×8 set, pixels in [0, 1], and their labels. */
    let digits;

    /** Opens `page` of the build at `base` and runs window.heedBundle.predict(model, input, shape). */
    async function predictInPage(base, page, model, values, shape) {
      const tab = await browser.newPage();
      const errors = [];
      tab.on('pageerror', (error) => errors.push(error.message));
      try {
        await tab.goto(`${base}${page}.html`);
        await tab.waitForFunction(() => window.heedBundle !== undefined, undefined, { timeout: 30_000 });
        const result = await tab.evaluate(([modelUrl, input, inputShape]) => window.heedBundle.predict(modelUrl, input, inputShape), [`${base}${model}/model.json`, values, shape]);
        return { ...result, errors };
      } finally {
        await tab.close();
      }
    }

    /** What tfjs in Node (unbundled, cpu) predicts for the same files. */
    async function predictInNode(folder, values, shape) {
      const model = await tf.loadLayersModel(layersFileHandler(folder));
      const output = tf.tidy(() => model.predict(tf.tensor(values, shape)));
      const data = Array.from(await output.data());
      output.dispose();
      model.dispose();
      return data;
    }

    beforeAll(async () => {
      await tf.setBackend('cpu');
      await buildPages(outDir);
      // The shipped digits ViT (heed's config.json + model.safetensors) written as a plain tf.io
      // LayersModel (model.json + weights.bin), which tf.loadLayersModel reads with heed's layers.
      const vit = await loadPretrained('digits');
      await vit.model.save(layersFileHandler(join(outDir, 'digits')));
      vit.dispose();
      await saveAttentionModel(join(outDir, 'attention-model'));
      const { test } = sklearnDigitsDataset(await loadSklearnDigitsNode());
      digits = { values: Array.from(test.images.subarray(0, 20 * 64)), labels: Array.from(test.labels.subarray(0, 20)) };
      ({ server, url } = await serveStatic(outDir));
      browser = await launchChromium();
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      server?.close();
      rmSync(outDir, { recursive: true, force: true });
    });

    it('import "@heed/attention" registers its layers: the saved TransformerEncoderBlock model loads and predicts as in Node', async () => {
      const input = Array.from({ length: 2 * 5 * 3 }, (_, index) => Math.sin(index * 0.7));
      const page = await predictInPage(url, 'attention', 'attention-model', input, [2, 5, 3]);
      expect(page.errors).toEqual([]);
      expect(page.classNames).toEqual(['Dense', 'PositionEmbedding', 'TransformerEncoderBlock']);
      const node = await predictInNode(join(outDir, 'attention-model'), input, [2, 5, 3]);
      expect(page.output).toHaveLength(2 * 5 * 8);
      for (const [index, value] of page.output.entries()) expect(value).toBeCloseTo(node[index], 5);
    });

    it('import "@heed/models" registers its layers: the shipped digits ViT loads, classifies 20 test digits and matches Node', async () => {
      const page = await predictInPage(url, 'models', 'digits', digits.values, [20, 8, 8, 1]);
      expect(page.errors).toEqual([]);
      expect(page.classNames).toEqual(expect.arrayContaining(['HeedPatchEmbedding', 'HeedClassToken', 'HeedAddPositionEmbedding', 'TransformerEncoderBlock']));
      const node = await predictInNode(join(outDir, 'digits'), digits.values, [20, 8, 8, 1]);
      expect(page.output).toHaveLength(20 * 10);
      for (const [index, value] of page.output.entries()) expect(value).toBeCloseTo(node[index], 5);
      const predicted = digits.labels.map((_, row) => {
        const scores = page.output.slice(row * 10, row * 10 + 10);
        return scores.indexOf(Math.max(...scores));
      });
      // The model scores 99.2% on the 359 test digits (weights/digits/results.json).
      expect(predicted.filter((digit, row) => digit === digits.labels[row]).length).toBeGreaterThanOrEqual(19);
    });

    it('bundled as if the packages said "sideEffects": false, the imports are dropped and the models do not load', async () => {
      await expect(predictInPage(url, 'attention-side-effect-free', 'attention-model', [0], [1, 1, 1])).rejects.toThrow(/Unknown layer: PositionEmbedding/);
      await expect(predictInPage(url, 'models-side-effect-free', 'digits', [0], [1, 8, 8, 1])).rejects.toThrow(/Unknown layer: HeedPatchEmbedding/);
    });
  });
});

