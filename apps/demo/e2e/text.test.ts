// The Text page classifies typed text with the shipped classifiers (heed's Transformer and BiLSTM, and the
// Hugging Face-layout BERTs sentiment-bert / sentiment-cross-bert): label, probabilities, token weights and
// per-head attention equal @heed/models in Node loading the same weights; empty text gets a message.
import type { HfTextClassifier, TextClassifier } from '@heed/models';
import { loadPretrained } from '@heed/models/node';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

type TextState = { model?: string; state?: string; label?: string; probabilities?: string; tokens?: string; weights?: string; heads?: string; version?: string };
const textState = (page: Page): Promise<TextState> => page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#page-text')!.dataset }));

/** Runs `action` and waits for the page to finish the classification it starts. */
async function settle(page: Page, action: () => Promise<unknown>): Promise<TextState> {
  const before = Number((await textState(page)).version ?? 0);
  await action();
  await page.waitForFunction(
    (previous) => {
      const section = document.querySelector<HTMLElement>('#page-text')!;
      return Number(section.dataset.version ?? 0) > previous && !['computing', 'loading'].includes(section.dataset.state ?? '');
    },
    before,
    { timeout: 60_000 },
  );
  return textState(page);
}

const worstDifference = (a: readonly number[], b: readonly number[]) => Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

describe.skipIf(skipReason !== undefined)('text page in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');
  const references = new Map<string, TextClassifier | HfTextClassifier>();
  const reference = async (name: string) => {
    if (!references.has(name)) references.set(name, await loadPretrained(name as 'spam' | 'sentiment-bert'));
    return references.get(name)!;
  };

  beforeAll(async () => {
    await tf.setBackend('cpu');
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    for (const classifier of references.values()) classifier.dispose();
    await browser?.close();
  });

  /** Picks `model` on the page (if not already shown), classifies `text` and checks every output against `model` in Node. */
  const classifiesLikeNode = async (page: Page, model: string, text: string, label: string) => {
    if ((await textState(page)).model !== model) {
      await page.selectOption('#text-model', model);
      await page.waitForFunction((name) => document.querySelector<HTMLElement>('#page-text')?.dataset.model === name, model, { timeout: 60_000 });
    }
    await page.fill('#text-input', text);
    const shown = await settle(page, () => page.click('#text-classify'));
    expect(shown.state).toBe('ready');
    const classifier = await reference(model);
    const expected = await classifier.explain(text);
    expect(shown.label).toBe(expected.labelName);
    expect(shown.label).toBe(label); // texts the shipped models should get right
    expect(JSON.parse(shown.tokens!)).toEqual(expected.tokens);
    expect(worstDifference(JSON.parse(shown.probabilities!), expected.probabilities)).toBeLessThan(1e-4);
    expect(worstDifference(JSON.parse(shown.weights!), expected.weights)).toBeLessThan(1e-4);
    expect(await page.locator('#text-tokens .heed-token').count()).toBe(expected.tokens.length);
    expect(await page.textContent('#text-label')).toBe(expected.labelName);
    if (classifier.config.kind === 'transformer' || classifier.config.kind === 'hf') {
      // The page's full maps: rows sum to one, and row [CLS] of each head is explain()'s head map.
      const { shape, weights } = JSON.parse(shown.heads!) as { shape: [number, number, number, number]; weights: number[] };
      const [layers, heads, tokens] = shape;
      expect(shape).toEqual([classifier.config.depth, classifier.config.heads, expected.tokens.length, expected.tokens.length]);
      for (let layer = 0; layer < layers; layer++) {
        for (let head = 0; head < heads; head++) {
          const map = weights.slice((layer * heads + head) * tokens * tokens, (layer * heads + head + 1) * tokens * tokens);
          expect(worstDifference(map.slice(0, tokens), expected.heads[layer]![head]!)).toBeLessThan(1e-4);
          for (let row = 0; row < tokens; row++) expect(map.slice(row * tokens, (row + 1) * tokens).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        }
      }
      expect(await page.locator('#text-heads rect.cell').count()).toBe(tokens * tokens);
      await page.selectOption('#text-layer', { value: String(layers - 1) });
      await page.selectOption('#text-head', { value: '1' });
      expect(await page.textContent('#text-heads')).toContain(`Layer ${layers - 1}, head 1`);
    } else {
      expect(await page.isHidden('#text-heads-section')).toBe(true);
    }
    await screenshot(page, `text-${model}-${label}`);
  };

  it('classifies like @heed/models in Node: label, probabilities, token weights and every head (sentiment and spam)', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/text');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-text')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    const cases = [
      { model: 'sentiment-transformer', text: 'The food was great and the staff were friendly.', label: 'positive' },
      { model: 'sentiment-transformer', text: 'Worst phone I ever bought, it broke after a week.', label: 'negative' },
      { model: 'sentiment', text: 'Worst phone I ever bought, it broke after a week.', label: 'negative' },
      { model: 'spam', text: 'Congratulations! You have WON a FREE prize. Click here now to claim your cash reward, limited offer!!!', label: 'spam' },
    ];
    for (const { model, text, label } of cases) await classifiesLikeNode(page, model, text, label);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the BERT choices (sentiment-bert, sentiment-cross-bert: Hugging Face layout, float16) classify like HfTextClassifier in Node, every head included', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/text');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-text')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    const offered = await page.$$eval('#text-model option', (options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['sentiment-bert', 'sentiment-cross-bert']));
    const cases = [
      { model: 'sentiment-bert', text: 'The food was great and the staff were friendly.', label: 'positive' },
      { model: 'sentiment-bert', text: 'Worst phone I ever bought, it broke after a week.', label: 'negative' },
      { model: 'sentiment-cross-bert', text: 'This is a great movie, I loved it.', label: 'positive' },
      { model: 'sentiment-cross-bert', text: 'Terrible, boring and a waste of money.', label: 'negative' },
    ];
    for (const { model, text, label } of cases) {
      await classifiesLikeNode(page, model, text, label);
      const classifier = await reference(model);
      expect(classifier.config.kind).toBe('hf');
      // The page says which model it loaded: a BERT with the shipped folder's layers, heads and parameters.
      const status = await page.locator('#page-text .controls').textContent();
      expect(status).toContain(`Loaded the ${model} classifier (BERT, ${classifier.config.depth} layers × ${classifier.config.heads} heads`);
      expect(status).toContain(`${classifier.countParams().toLocaleString('en')} parameters`);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says so when the text is empty', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/text');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-text')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    await page.fill('#text-input', '  \n ');
    const shown = await settle(page, () => page.click('#text-classify'));
    expect(shown.state).toBe('error');
    expect(await page.textContent('#text-message')).toContain('Type some text');
    expect(await page.locator('#text-tokens .heed-token').count()).toBe(0);
    await screenshot(page, 'text-empty');
    expect(errors).toEqual([]);
    await page.close();
  });
});
