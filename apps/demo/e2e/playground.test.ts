// The attention playground computes the same weights in the browser as @heed/attention does in
// Node for the same seeded inputs, draws every mechanism, and reports bad input in the page.
import { causalMask, combineMasks, paddingMask, scaledDotProductAttention } from '@heed/attention';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MECHANISMS } from '../src/playground/mechanisms';
import { playgroundTokens, scaledDotInputs } from '../src/playground/seeded-inputs';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

/** Runs `action` and waits for the playground to finish the computation it starts. */
async function settle(page: Page, action: () => Promise<unknown>): Promise<string> {
  const before = Number((await page.getAttribute('#playground-weights', 'data-version')) ?? 0);
  await action();
  await page.waitForFunction(
    (previous) => {
      const figure = document.querySelector<HTMLElement>('#playground-weights')!;
      return Number(figure.dataset.version ?? 0) > previous && figure.dataset.state !== 'computing';
    },
    before,
    { timeout: 30_000 },
  );
  return (await page.getAttribute('#playground-weights', 'data-state')) ?? '';
}

async function shownWeights(page: Page): Promise<{ weights: number[]; shape: number[] }> {
  return {
    weights: JSON.parse((await page.getAttribute('#playground-weights', 'data-weights')) ?? '[]'),
    shape: JSON.parse((await page.getAttribute('#playground-weights', 'data-shape')) ?? '[]'),
  };
}

/** Scaled dot-product weights of the playground's inputs, computed in Node with @heed/attention. */
async function nodeReference(sentence: string, padding: number, dim: number, seed: number): Promise<Float32Array> {
  await tf.setBackend('cpu');
  const tokens = playgroundTokens(sentence, padding);
  const length = tokens.length;
  const inputs = scaledDotInputs(tokens, dim, seed);
  const weights = tf.tidy(() => {
    const [query, key, value] = [inputs.query, inputs.key, inputs.value].map((data) => tf.tensor3d(data, [1, length, dim]));
    const mask = combineMasks(paddingMask([length - padding], length), causalMask(length));
    return scaledDotProductAttention(query!, key!, value!, { mask, returnWeights: true })[1];
  });
  const values = (await weights.data()) as Float32Array;
  weights.dispose();
  return values;
}

describe.skipIf(skipReason !== undefined)('attention playground in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  for (const backend of ['wasm', 'webgl']) {
    it(`shows scaled dot-product weights equal to @heed/attention in Node (${backend})`, async () => {
      const { page, errors, report } = await openDemo(browser, url, `?backend=${backend}#/playground`);
      expect((await report()).name).toBe(backend);
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready');
      const sentence = 'a dog chased a red ball';
      await settle(page, () => page.selectOption('#dim', '16'));
      await settle(page, () => page.fill('#seed', '42'));
      await settle(page, () => page.fill('#padding', '2'));
      await settle(page, () => page.check('#causal'));
      expect(await settle(page, () => page.fill('#sentence', sentence))).toBe('ready');
      const { weights, shape } = await shownWeights(page);
      expect(shape).toEqual([1, 8, 8]);
      const reference = await nodeReference(sentence, 2, 16, 42);
      expect(weights).toHaveLength(reference.length);
      const worst = Math.max(...weights.map((value, index) => Math.abs(value - reference[index]!)));
      expect(worst).toBeLessThan(backend === 'wasm' ? 1e-6 : 1e-4);
      // Padding keys and future keys get exactly zero weight; the two cells are drawn masked.
      expect(weights[0 * 8 + 1]).toBe(0);
      expect(weights[7 * 8 + 6]).toBe(0);
      expect(await page.locator('#playground-weights rect.cell').count()).toBe(64);
      if (backend === 'wasm') await screenshot(page, 'playground-scaled-dot-causal-padding');
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('draws every mechanism with rows that sum to one over the allowed keys', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/playground');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready');
    await settle(page, () => page.check('#use-window'));
    for (const { id, formulas } of MECHANISMS) {
      expect(await settle(page, () => page.selectOption('#mechanism', id))).toBe('ready');
      const { weights, shape } = await shownWeights(page);
      const [heads, rows, columns] = shape as [number, number, number];
      expect(heads).toBe(id === 'multi-head' ? 2 : 1);
      for (let row = 0; row < heads * rows; row++) {
        const sum = weights.slice(row * columns, (row + 1) * columns).reduce((a, b) => a + b, 0);
        // local-p multiplies the softmax by a Gaussian, so its rows sum to at most one.
        if (id === 'local-p') expect(sum).toBeLessThanOrEqual(1 + 1e-5);
        else expect(sum).toBeCloseTo(1, 5);
      }
      expect(await page.textContent('#formula')).toContain(formulas[0]);
      expect(await page.locator('#playground-lines .edge').count()).toBeGreaterThan(0);
      if (id === 'multi-head' || id === 'additive' || id === 'local-p') await screenshot(page, `playground-${id}`);
    }
    // Focusing one query keeps only its lines (one per allowed key and head, above the threshold).
    const all = await page.locator('#playground-lines .edge').count();
    await page.selectOption('#focus', '2');
    expect(await page.locator('#playground-lines .edge').count()).toBeLessThan(all);
    await screenshot(page, 'playground-head-view-focus');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what is wrong with bad input instead of drawing', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/playground');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready');
    expect(await settle(page, () => page.fill('#sentence', '   '))).toBe('error');
    expect(await page.textContent('#playground-message')).toContain('Type at least one word');
    expect(await settle(page, () => page.fill('#sentence', 'one two three four five six seven eight nine ten eleven twelve'))).toBe('error');
    expect(await page.textContent('#playground-message')).toContain('At most 12 tokens');
    expect(await page.locator('#playground-weights rect.cell').count()).toBe(0);
    await screenshot(page, 'playground-bad-input');
    expect(errors).toEqual([]);
    await page.close();
  });
});
