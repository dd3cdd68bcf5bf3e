// The Pronounce page loads the shipped G2P weights and gives, for the same word, the same phonemes
// as @heed/models in Node loading the same files (greedy and beam search); bad words get a message.
import { join } from 'node:path';
import { Seq2Seq } from '@heed/models';
import * as tf from '@tensorflow/tfjs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { modelsPackageDir } from '../build/shipped-weights';
import { pronounceWord } from '../src/pronounce/pronounce-word';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

/** Submits the form and waits for the page to finish that computation; returns its state. */
async function pronounce(page: Page, word: string, search: 'greedy' | 'beam'): Promise<Record<string, string | undefined>> {
  const before = Number((await page.getAttribute('#page-pronounce', 'data-version')) ?? 0);
  await page.check(`#pronounce-${search}`); // a change of search runs it too
  await page.fill('#pronounce-word', word);
  await page.click('#pronounce-go');
  await page.waitForFunction(
    (previous) => {
      const section = document.querySelector<HTMLElement>('#page-pronounce')!;
      return Number(section.dataset.version ?? 0) > previous && section.dataset.state !== 'computing';
    },
    before,
    { timeout: 60_000 },
  );
  // The search change and the click each start a run; wait until the last one is shown.
  await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-pronounce')!.dataset.state !== 'computing', undefined, { timeout: 60_000 });
  return page.evaluate(() => ({ ...document.querySelector<HTMLElement>('#page-pronounce')!.dataset }));
}

describe.skipIf(skipReason !== undefined)('pronounce page in headless Chromium', () => {
  let browser: Browser;
  let reference: Seq2Seq;
  const url = inject('demoUrl');

  beforeAll(async () => {
    await tf.setBackend('cpu');
    reference = await Seq2Seq.load(join(modelsPackageDir(), 'weights', 'g2p')); // config.json + model.safetensors
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    reference?.dispose();
    await browser?.close();
  });

  it('loads the shipped G2P weights and matches @heed/models in Node, greedy and beam', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/pronounce');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-pronounce')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    expect(await page.getAttribute('#model-g2p', 'data-state')).toBe('ready');
    expect(await page.textContent('#model-g2p')).toContain(`${reference!.countParams().toLocaleString('en')} parameters`); // the shipped model's own count
    for (const word of ['heed', 'Colonel', 'quixotic']) {
      for (const search of ['greedy', 'beam'] as const) {
        const shown = await pronounce(page, word, search);
        const expected = await pronounceWord(reference, word, search);
        expect({ word: shown.word, search: shown.search, phonemes: JSON.parse(shown.phonemes!) }).toEqual({ word: expected.word, search, phonemes: expected.phonemes });
        expect(await page.textContent('#pronounce-phonemes')).toBe(expected.phonemes.join(' '));
        // One heatmap cell per (output step, letter).
        expect(await page.locator('#pronounce-alignment rect.cell').count()).toBe(expected.steps.length * expected.letters.length);
      }
    }
    expect(JSON.parse((await pronounce(page, 'heed', 'greedy')).phonemes!)).toEqual(['HH', 'IY', 'D']); // a CMUdict word it should know
    await screenshot(page, 'pronounce-heed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what is wrong with a word instead of pronouncing it', async () => {
    const { page, errors } = await openDemo(browser, url, '?backend=wasm#/pronounce');
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#page-pronounce')?.dataset.state === 'ready', undefined, { timeout: 60_000 });
    for (const [word, says] of [
      ['   ', 'Type a word'],
      ['two words', 'One word at a time'],
      ['café', '“é” is not among them'],
      ['a'.repeat(41), 'At most 40 letters'],
    ] as const) {
      expect((await pronounce(page, word, 'greedy')).state).toBe('error');
      expect(await page.textContent('#pronounce-message')).toContain(says);
      expect(await page.locator('#pronounce-alignment rect.cell').count()).toBe(0);
    }
    await screenshot(page, 'pronounce-bad-input');
    expect(errors).toEqual([]);
    await page.close();
  });
});
