// The built site in headless Chromium (Debian's /usr/bin/chromium, never a downloaded browser):
// the home page, a guide, an API page and the live widget load without console errors.
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ROOT } from '../scripts/lib/workspace';
import { browserUnavailable, CHROMIUM, serveStatic } from '@heed/browser-testing';

const dist = join(DOCS_ROOT, 'dist');
const skipReason =
  browserUnavailable() ??
  (!existsSync(join(dist, 'index.html'))
    ? `${dist} is not built (pnpm --filter @heed/docs build)`
    : undefined);
if (skipReason) console.warn(`[heed docs] skipping the browser smoke test: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('docs site in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    // cross-origin isolated, as the dev/preview servers and a host for the site serve it
    ({ server, url } = await serveStatic(dist, { htmlExtension: true, headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(`console: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(new URL(path, url).href, { waitUntil: 'networkidle' });
    return { page, errors };
  }

  it('home page', async () => {
    const { page, errors } = await open('/');
    await expect.poll(() => page.locator('.VPHero .name').count()).toBeGreaterThan(0);
    expect(await page.title()).toContain('heed');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a guide, with navigation to another page on the client', async () => {
    const { page, errors } = await open('/guide/getting-started.html');
    expect(await page.locator('h1').first().textContent()).toContain('Getting started');
    await page.locator('.VPSidebar a[href$="/guide/backends.html"]').first().click();
    await page.waitForURL(/backends\.html$/);
    // The router changes the URL before it renders the new page: wait for the heading.
    await expect.poll(() => page.locator('h1').first().textContent()).toContain('Backends');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('an API page generated from TSDoc', async () => {
    const { page, errors } = await open('/api/viz.html#attentionheatmapsvg');
    expect(await page.locator('h1').first().textContent()).toContain('@heed/viz');
    expect(await page.locator('h3#attentionheatmapsvg').textContent()).toContain('attentionHeatmapSvg');
    expect(await page.locator('main').textContent()).toContain('heatmap');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the live attention heatmap is computed in the page', async () => {
    const { page, errors } = await open('/concepts/scaled-dot-product.html');
    const cells = page.locator('.attention-playground svg rect.cell');
    await expect.poll(() => cells.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    const tokens = ((await page.locator('.attention-playground input[type="text"]').inputValue()).trim().split(/\s+/)).length;
    expect(await cells.count()).toBe(tokens * tokens);
    expect(await page.locator('[data-testid="attention-status"]').textContent()).toMatch(/Computed in this page by scaledDotProductAttention on the \w+ backend/);
    // Turning on the causal mask zeroes every weight above the diagonal.
    await page.locator('.attention-playground input[type="checkbox"]').check();
    await expect.poll(() => page.locator('.attention-playground svg rect.cell title').first().textContent(), { timeout: 30_000 }).toMatch(/: 1\.000$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
