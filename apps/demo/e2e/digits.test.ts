// The Digits page reads a drawing with the shipped ViT: an MNIST test digit painted on its canvas
// is preprocessed back to the original and read as its label, with the same probabilities and
// rollout as @heed/models in Node for the same input; mouse strokes draw; an empty canvas is refused.
import { mnistDataset, type VisionTransformer } from '@heed/models';
import { loadMnistNode, loadPretrained } from '@heed/models/node';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { softmax } from '../src/digits/read-digit';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

type DigitsState = { model?: string; state?: string; label?: string; probabilities?: string; input?: string; rollout?: string; version?: string };
const digitsState = (page: Page): Promise<DigitsState> => page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#page-digits')!.dataset }));

/** Runs `action` and waits for the page to finish the reading it starts. */
async function settle(page: Page, action: () => Promise<unknown>): Promise<DigitsState> {
  const before = Number((await digitsState(page)).version ?? 0);
  await action();
  await page.waitForFunction(
    (previous) => {
      const section = document.querySelector<HTMLElement>('#page-digits')!;
      return Number(section.dataset.version ?? 0) > previous && section.dataset.state !== 'computing';
    },
    before,
    { timeout: 60_000 },
  );
  return digitsState(page);
}

/** Paints a 28×28 [0, 1] image on the 280×280 canvas, 10 canvas pixels per image pixel, black ink on white. */
async function paint(page: Page, image: Float32Array): Promise<void> {
  await page.evaluate((pixels) => {
    const context = document.querySelector<HTMLCanvasElement>('#digits-canvas')!.getContext('2d')!;
    pixels.forEach((value, index) => {
      const gray = Math.round(255 * (1 - value));
      context.fillStyle = `rgb(${gray}, ${gray}, ${gray})`;
      context.fillRect((index % 28) * 10, Math.floor(index / 28) * 10, 10, 10);
    });
  }, Array.from(image));
}

describe.skipIf(skipReason !== undefined)('digits page in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');
  const references = new Map<string, VisionTransformer>();

  /** Probabilities and rollout of @heed/models in Node, loading the same shipped weights, for `input`. */
  async function nodeReading(name: string, input: number[]): Promise<{ probabilities: number[]; rollout: number[] }> {
    if (!references.has(name)) references.set(name, await loadPretrained(name as 'mnist'));
    const vit = references.get(name)!;
    const [height, width] = vit.config.imageSize;
    const image = tf.tensor4d(input, [1, height, width, 1]);
    const logits = vit.predict(image);
    const probabilities = softmax(await logits.data());
    const maps = await vit.attentionMaps(image);
    tf.dispose([image, logits]);
    return { probabilities, rollout: Array.from(maps.rollout) };
  }

  const worstDifference = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

  beforeAll(async () => {
    await tf.setBackend('cpu');
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    for (const vit of references.values()) vit.dispose();
    await browser?.close();
  });

  it('reads MNIST test digits drawn on the canvas as their labels, with the probabilities and rollout of Node', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/digits');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-digits')?.dataset.state === 'idle', undefined, { timeout: 60_000 });
    const { model } = await digitsState(page);
    expect(['mnist', 'digits']).toContain(model);
    const { test } = mnistDataset(await loadMnistNode());
    for (const index of [0, 1, 2]) {
      const image = test.images.slice(index * 784, (index + 1) * 784);
      await page.click('#digits-clear');
      await paint(page, image);
      const shown = await settle(page, () => page.click('#digits-read'));
      expect(shown.state).toBe('ready');
      const input: number[] = JSON.parse(shown.input!);
      const probabilities: number[] = JSON.parse(shown.probabilities!);
      const reference = await nodeReading(model!, input);
      expect(worstDifference(probabilities, reference.probabilities)).toBeLessThan(1e-4);
      expect(worstDifference(JSON.parse(shown.rollout!), reference.rollout)).toBeLessThan(1e-4);
      expect(Number(shown.label)).toBe(reference.probabilities.indexOf(Math.max(...reference.probabilities)));
      if (model === 'mnist') {
        // The preprocessing gives the MNIST image back (it was normalized the same way) and the ViT reads its label.
        const meanDifference = input.reduce((sum, value, pixel) => sum + Math.abs(value - image[pixel]!), 0) / input.length;
        expect(meanDifference).toBeLessThan(0.005); // src/digits/preprocess-digit.test.ts: equal up to 8-bit rounding
        expect(Number(shown.label)).toBe(test.labels[index]);
      }
      expect(await page.locator('#digits-probabilities li').count()).toBe(10);
      expect(await page.locator('#digits-overlay rect.patch').count()).toBeGreaterThan(0);
      expect(await page.textContent('#digits-prediction')).toBe(shown.label);
      if (index === 0) await screenshot(page, `digits-mnist-test-${index}-rollout`);
    }
    // Another view: layer 1, head 1 redraws the overlay.
    const before = await page.innerHTML('#digits-overlay');
    await page.selectOption('#digits-view', '0:0');
    expect(await page.innerHTML('#digits-overlay')).not.toBe(before);
    await screenshot(page, 'digits-layer1-head1');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws with the mouse (pointer events) and refuses an empty canvas', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/digits');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-digits')?.dataset.state === 'idle', undefined, { timeout: 60_000 });
    const empty = await settle(page, () => page.click('#digits-read'));
    expect(empty.state).toBe('error');
    expect(await page.textContent('#digits-message')).toContain('Nothing is drawn');
    await screenshot(page, 'digits-empty');
    // A "7": a stroke across the top, then down to the bottom left; the reading runs when the stroke ends.
    const box = (await page.locator('#digits-canvas').boundingBox())!;
    const shown = await settle(page, async () => {
      await page.mouse.move(box.x + 70, box.y + 60);
      await page.mouse.down();
      await page.mouse.move(box.x + 210, box.y + 60, { steps: 8 });
      await page.mouse.move(box.x + 120, box.y + 240, { steps: 8 });
      await page.mouse.up();
    });
    expect(shown.state).toBe('ready');
    expect(await page.isHidden('#digits-message')).toBe(true);
    const reference = await nodeReading(shown.model!, JSON.parse(shown.input!));
    expect(worstDifference(JSON.parse(shown.probabilities!), reference.probabilities)).toBeLessThan(1e-4);
    await screenshot(page, 'digits-mouse-seven');
    expect(errors).toEqual([]);
    await page.close();
  });
});
