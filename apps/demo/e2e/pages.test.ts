// Every page of the demo loads in headless Chromium with no console errors, from the navigation,
// works offline once its models are loaded, shows model errors in the page, and leaves a
// screenshot in e2e/screenshots/ for a human to look at.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

const PAGES = ['home', 'pronounce', 'dates', 'text', 'digits', 'playground', 'hf', 'generate'];

describe.skipIf(skipReason !== undefined)('demo pages in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Waits until page `id` has finished what it starts on load (a model loaded and its first prediction, a first figure). */
  async function pageSettled(page: Page, id: string): Promise<void> {
    const ready: Record<string, string> = {
      home: '#heatmap rect.cell',
      pronounce: '#page-pronounce[data-state="ready"] #pronounce-alignment rect.cell',
      dates: '#dates-alignment[data-step="0"] rect.cell', // the untrained model's alignment
      text: '#page-text[data-state="ready"] #text-tokens .heed-token',
      digits: '#page-digits[data-state="idle"]',
      playground: '#playground-weights[data-state="ready"]',
      hf: '#page-hf[data-state="idle"]',
      generate: '#page-generate[data-state="ready"]', // the shipped gpt-moby-dick loaded
    };
    await page.waitForSelector(ready[id]!, { timeout: 60_000 });
  }

  it('loads every page from the navigation with no console errors, never blank, and works offline once loaded', async () => {
    const { page, errors } = await openDemo(browser, url, '#/home');
    for (const offline of [false, true]) {
      // Second round offline: the bundle and the models loaded in the first round are all the pages need.
      await page.context().setOffline(offline);
      const probe = await page.evaluate(() => fetch(`weights/index.json?probe=${Date.now()}`).then(() => 'online', () => 'offline'));
      expect(probe).toBe(offline ? 'offline' : 'online'); // the emulation does cut the local server off
      for (const id of PAGES) {
        await page.click(`nav a[data-page="${id}"]`);
        await page.waitForFunction((expected) => document.body.dataset.page === expected, id, { timeout: 60_000 });
        expect(page.url()).toContain(`#/${id}`);
        expect(await page.getAttribute(`nav a[data-page="${id}"]`, 'aria-current')).toBe('page');
        const heading = (await page.textContent(`#page-${id} h1`)) ?? '';
        expect(heading.length).toBeGreaterThan(3);
        expect(((await page.textContent('#page')) ?? '').length).toBeGreaterThan(100);
        await pageSettled(page, id);
        expect(await page.locator(`#page-${id} [role="alert"]:not([hidden])`).count()).toBe(0);
        if (!offline) await screenshot(page, `page-${id}`);
      }
    }
    expect(await page.locator('nav .soon-badge').count()).toBe(0); // every page is built
    expect(errors).toEqual([]);
    await page.context().setOffline(false);
    await page.close();
  });

  it('shows an error in the page, not a blank page, when a model fails to load or is not shipped', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The G2P weights fail to download; the build's list of models lacks both digit models.
    await page.route('**/weights/g2p/model.safetensors', (route) => route.abort('connectionfailed'));
    await page.route('**/weights/index.json', async (route) => {
      const listed = (await (await route.fetch()).json()) as { models: Record<string, unknown> };
      delete listed.models.mnist;
      delete listed.models.digits;
      await route.fulfill({ json: listed });
    });
    await page.goto(`${url}#/pronounce`);
    await page.waitForSelector('#model-g2p[data-state="error"]', { timeout: 60_000 });
    expect(await page.getAttribute('#model-g2p', 'role')).toBe('alert');
    expect(await page.textContent('#model-g2p')).toContain('The g2p model failed to load');
    expect(await page.isDisabled('#pronounce-go')).toBe(true);
    await screenshot(page, 'pronounce-model-failed');
    await page.click('nav a[data-page="digits"]');
    await page.waitForSelector('#digits-message:not([hidden])', { timeout: 60_000 });
    expect(await page.textContent('#digits-message')).toContain('No digit model is available');
    await screenshot(page, 'digits-model-missing');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the home page for an unknown page', async () => {
    const { page, errors } = await openDemo(browser, url, '#/playground');
    await page.goto(`${url}#/nowhere`);
    await page.waitForFunction(() => document.body.dataset.page === 'home');
    expect(await page.textContent('h1')).toContain('heed');
    expect(errors).toEqual([]);
    await page.close();
  });
});
