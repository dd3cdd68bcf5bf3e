// Every page of the demo loads in headless Chromium with no console errors, from the navigation,
// and leaves a screenshot in e2e/screenshots/ for a human to look at.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from './launch-chromium';
import { openDemo, screenshot } from './open-page';

const skipReason = browserUnavailable();

const PAGES = ['home', 'pronounce', 'dates', 'text', 'digits', 'playground'];

describe.skipIf(skipReason !== undefined)('demo pages in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('loads every page from the navigation with no console errors, never blank, offline once loaded', async () => {
    const { page, errors } = await openDemo(browser, url, '#/home');
    await page.context().setOffline(true); // everything the pages need is in the loaded bundle
    for (const id of PAGES) {
      await page.click(`nav a[data-page="${id}"]`);
      await page.waitForFunction((expected) => document.body.dataset.page === expected, id, { timeout: 60_000 });
      expect(page.url()).toContain(`#/${id}`);
      expect(await page.getAttribute(`nav a[data-page="${id}"]`, 'aria-current')).toBe('page');
      const heading = (await page.textContent(`#page-${id} h1`)) ?? '';
      expect(heading.length).toBeGreaterThan(3);
      expect(((await page.textContent('#page')) ?? '').length).toBeGreaterThan(100);
      if (id === 'playground') await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready');
      if (id === 'dates') await page.waitForSelector('#dates-alignment[data-step="0"] rect.cell', { timeout: 60_000 }); // the untrained model's alignment
      await screenshot(page, `page-${id}`);
    }
    expect(errors).toEqual([]);
    await page.context().setOffline(false);
    await page.close();
  });

  it('labels the pages that are not built yet as coming soon', async () => {
    const { page, errors } = await openDemo(browser, url, '#/digits');
    expect(await page.textContent('#page-digits h1')).toContain('coming soon');
    expect(await page.textContent('#page-digits')).toContain('Not available yet');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the home page for an unknown page', async () => {
    const { page, errors } = await openDemo(browser, url, '#/digits');
    await page.goto(`${url}#/nowhere`);
    await page.waitForFunction(() => document.body.dataset.page === 'home');
    expect(await page.textContent('h1')).toContain('heed');
    expect(errors).toEqual([]);
    await page.close();
  });
});
