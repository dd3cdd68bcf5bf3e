// The Hugging Face page in headless Chromium, on the PyTorch-written fixture checkpoints of
// @heed/models served by a local server laid out like the Hub (another origin, with CORS): from a
// URL and from a "dropped" folder, its probabilities equal softmax of PyTorch's logits
// (reference.json), the ViT's those of PIL + PyTorch on a PNG (vit-image-predict.json); the views
// are drawn; a second visit reads the weights from the Cache API; a missing checkpoint names the
// URL and the status.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { startHubServer, type HubServer } from './hub-server';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();
const FIXTURES = fileURLToPath(new URL('../../../packages/models/src/hf/__fixtures__/', import.meta.url));
const PNG = fileURLToPath(new URL('../../cli/src/__fixtures__/vit-image.png', import.meta.url));

type HfState = { state?: string; version?: string; architecture?: string; probabilities?: string; attention?: string; tokens?: string };
const hfState = (page: Page): Promise<HfState> => page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#page-hf')!.dataset }));

/** Runs `action`, then waits until the page has finished a prediction after it (or failed). */
async function settle(page: Page, action: () => Promise<unknown>): Promise<HfState> {
  const before = Number((await hfState(page)).version ?? 0);
  await action();
  await page.waitForFunction(
    (previous) => {
      const section = document.querySelector<HTMLElement>('#page-hf')!;
      return section.dataset.state === 'error' || (Number(section.dataset.version ?? 0) > previous && section.dataset.state === 'ready');
    },
    before,
    { timeout: 60_000 },
  );
  return hfState(page);
}

const softmax = (row: number[]) => {
  const exp = row.map((value) => Math.exp(value - Math.max(...row)));
  return exp.map((value) => value / exp.reduce((a, b) => a + b, 0));
};
const referenceLogits = async (name: string, row: number) => {
  const { outputs } = JSON.parse(await readFile(join(FIXTURES, name, 'reference.json'), 'utf8')) as { outputs: { logits: { data: number[]; shape: number[] } } };
  const labels = outputs.logits.shape[1]!;
  return outputs.logits.data.slice(row * labels, (row + 1) * labels);
};

describe.skipIf(skipReason !== undefined)('Hugging Face page in headless Chromium', () => {
  let browser: Browser;
  let server: HubServer | undefined;
  let hub = '';
  const requests: string[] = [];
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
    server = await startHubServer(() => FIXTURES, (request) => requests.push(`${request.method} ${request.url}`));
    hub = server.hub;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a BERT classifier from a Hub-layout URL: PyTorch\'s probabilities, head and model views; the second visit uses the cache', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/hf');
    await page.fill('#hf-url', `${hub}/bert-seq-cls-f32/resolve/main`);
    const state = await settle(page, () => page.click('#hf-load'));
    expect(state.state, await page.textContent('#hf-message') ?? '').toBe('ready');
    expect(state.architecture).toBe('BertForSequenceClassification');
    const expected = softmax(await referenceLogits('bert-seq-cls-f32', 1)); // "This film was not very good."
    const probabilities = JSON.parse(state.probabilities!) as number[];
    probabilities.forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThan(1e-4));
    expect(JSON.parse(state.tokens!)).toEqual(['[CLS]', 'this', 'film', 'was', 'not', 'very', 'good', '.', '[SEP]']);
    expect((JSON.parse(state.attention!) as { shape: number[] }).shape).toEqual([2, 3, 9, 9]);
    expect(await page.locator('#hf-labels li').count()).toBe(3);
    expect(await page.locator('#hf-head-view svg line, #hf-head-view svg path').count()).toBeGreaterThan(0);
    expect(await page.locator('#hf-model-view svg rect').count()).toBeGreaterThan(3 * 81);
    await screenshot(page, 'hf-bert');
    expect(errors).toEqual([]);

    // A second visit: the checkpoint's files come from the Cache API, not the server.
    const before = requests.filter((request) => request.startsWith('GET ') && request.endsWith('/bert-seq-cls-f32/resolve/main/model.safetensors')).length;
    expect(before).toBe(1);
    await page.reload();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-hf')?.dataset.state === 'idle', undefined, { timeout: 60_000 });
    await page.fill('#hf-url', `${hub}/bert-seq-cls-f32/resolve/main`);
    expect((await settle(page, () => page.click('#hf-load'))).state).toBe('ready');
    expect(requests.filter((request) => request.startsWith('GET ') && request.endsWith('/bert-seq-cls-f32/resolve/main/model.safetensors')).length).toBe(before);
    await page.close();
  });

  it('fine-tunes the BERT on 16 pasted labelled sentences for 2 epochs: a live loss curve that falls, new probabilities for the Run box; the saved files load back with them', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/hf');
    await page.fill('#hf-url', `${hub}/bert-seq-cls-f32/resolve/main`);
    const before = await settle(page, () => page.click('#hf-load'));
    expect(before.state, await page.textContent('#hf-message') ?? '').toBe('ready');
    await page.waitForSelector('#hf-train-section:not([hidden])');
    // Sentences in the fixture's 40-token vocabulary; both line formats.
    const lines = [
      'positive\tThis film was very good.', 'negative\tThis film was not good.', 'positive\tThe cat is cute.', 'negative\tThe dog was bad.',
      'positive\tMy dog is very cute!', 'negative\tThis film was very bad.', 'positive\tThe film was good, and it was cute.', 'negative\tIt was not cute and it was bad.',
      'The cat sat on the mat, it was good.,positive', 'The dog was not good.,negative', 'I was playing and it was good!,positive', 'This model was bad.,negative',
      'Hello, my cat is very good.,positive', 'It was very bad, not good.,negative', 'The attention model is good.,positive', 'My film was unlikely bad.,negative',
    ];
    await page.fill('#hf-train', lines.join('\n'));
    await page.fill('#hf-epochs', '2');
    await page.fill('#hf-lr', '0.005');
    const after = await settle(page, () => page.click('#hf-fine-tune'));
    expect(after.state, await page.textContent('#hf-message') ?? '').toBe('ready');
    expect(await page.evaluate(() => document.querySelector<HTMLElement>('#page-hf')!.dataset.training)).toBe('done');
    const losses = JSON.parse((await page.evaluate(() => document.querySelector<HTMLElement>('#page-hf')!.dataset.losses))!) as number[];
    expect(losses).toHaveLength(4); // 16 examples, batches of 8, 2 epochs
    losses.forEach((loss) => expect(Number.isFinite(loss)).toBe(true));
    // Each epoch sees the same 16 sentences, so compare epochs, not single batches (two different
    // batches' losses differ by more than 4 steps of learning move them).
    const epochMean = (epoch: number) => (losses[2 * epoch]! + losses[2 * epoch + 1]!) / 2;
    expect(epochMean(1)).toBeLessThan(epochMean(0));
    expect(await page.locator('#hf-curve canvas').count()).toBeGreaterThan(0); // the curve drawn from those 4 points
    // The Run box now uses the fine-tuned weights: "This film was not very good." moves.
    const old = JSON.parse(before.probabilities!) as number[];
    const tuned = JSON.parse(after.probabilities!) as number[];
    expect(tuned).toHaveLength(3);
    expect(Math.max(...tuned.map((value, index) => Math.abs(value - old[index]!)))).toBeGreaterThan(1e-3);
    await screenshot(page, 'hf-fine-tune');

    // "Save the fine-tuned model": one download link per file of the HF layout; the downloaded
    // folder loads back in Node (fromPretrained, cpu) with the probabilities the tab shows.
    await page.click('#hf-save');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-hf')!.dataset.saved === '4', undefined, { timeout: 60_000 });
    const folder = await mkdtemp(join(tmpdir(), 'heed-hf-download-'));
    try {
      for (const link of await page.locator('#hf-downloads a').all()) {
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        await download.saveAs(join(folder, download.suggestedFilename()));
      }
      expect((await readdir(folder)).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
      const tf = await import('@tensorflow/tfjs');
      const { initBackend } = await import('@heed/backends');
      const { fromPretrained, loadHfTokenizer } = await import('@heed/models');
      const { folderSource } = await import('@heed/models/node');
      await initBackend({ backend: 'cpu' });
      const model = await fromPretrained(folderSource(folder));
      expect(model.architecture).toBe('BertForSequenceClassification');
      const tokenizer = await loadHfTokenizer(folderSource(folder));
      const inputs = tokenizer.toTensors(tokenizer.encode('This film was not very good.'));
      const { logits } = model.forward(inputs);
      const reloaded = softmax(Array.from(await logits!.data()));
      reloaded.forEach((value, index) => expect(Math.abs(value - tuned[index]!)).toBeLessThan(1e-4)); // wasm in the tab, cpu here
      tf.dispose([logits!, ...Object.values(inputs)]);
      model.dispose();
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a ViT from a URL classifies a PNG as PIL + PyTorch do, with the patch rollout', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/hf');
    await page.fill('#hf-url', `${hub}/vit-image-cls-f32/resolve/main`);
    await page.click('#hf-load');
    await page.waitForSelector('#hf-image-section:not([hidden])', { timeout: 60_000 });
    const state = await settle(page, () => page.setInputFiles('#hf-image', PNG));
    expect(state.state, await page.textContent('#hf-message') ?? '').toBe('ready');
    const { probabilities: expected } = JSON.parse(await readFile(join(FIXTURES, 'vit-image-predict.json'), 'utf8')) as { probabilities: number[] };
    (JSON.parse(state.probabilities!) as number[]).forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThan(1e-4));
    expect((JSON.parse(state.attention!) as { shape: number[] }).shape).toEqual([2, 3, 17, 17]);
    expect(await page.locator('#hf-rollout svg image').count()).toBe(1);
    await screenshot(page, 'hf-vit');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a dropped folder (DistilBERT) gives PyTorch\'s probabilities; a missing checkpoint names the URL and the status', async () => {
    const { page } = await openDemo(browser, url, '?backend=wasm#/hf');
    const state = await settle(page, () => page.setInputFiles('#hf-folder', join(FIXTURES, 'distilbert-seq-cls-f32')));
    expect(state.state, await page.textContent('#hf-message') ?? '').toBe('ready');
    expect(state.architecture).toBe('DistilBertForSequenceClassification');
    const expected = softmax(await referenceLogits('distilbert-seq-cls-f32', 1));
    (JSON.parse(state.probabilities!) as number[]).forEach((value, index) => expect(Math.abs(value - expected[index]!)).toBeLessThan(1e-4));

    await page.fill('#hf-url', `${hub}/no-such-model/resolve/main`);
    await page.click('#hf-load');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-hf')?.dataset.state === 'error', undefined, { timeout: 60_000 });
    expect(await page.textContent('#hf-message')).toBe(`${hub}/no-such-model/resolve/main/config.json: HTTP 404 Not Found`);
    await page.close();
  });
});
