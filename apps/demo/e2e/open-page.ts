import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';

/** Where the test run writes its screenshots (gitignored). */
export const SCREENSHOTS = fileURLToPath(new URL('./screenshots/', import.meta.url));

/** A page of the demo with every console error, page error and failed request collected. */
export interface OpenedPage {
  page: Page;
  errors: string[];
  /** heed's `initBackend` report as the page shows it. */
  report(): Promise<{
    name: string;
    tried: { name: string; ok: boolean; reason?: string }[];
    simdKernels?: { build: string; threads: number; notes: string[] };
    [key: string]: unknown;
  }>;
}

/** Collects errors of `page` into `errors` (failed requests with their URL). */
export function collectErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith('http://127.0.0.1') && !url.startsWith('data:') && !url.startsWith('blob:')) errors.push(`external request ${url}`);
  });
}

/** Opens `base + path` (e.g. `?backend=wasm#/playground`), waits for the shell and, with a hash, for that page. */
export async function openDemo(browser: Browser, base: string, path = ''): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  collectErrors(page, errors);
  await page.goto(`${base}${path}`);
  await waitForShell(page);
  const hash = /#\/([\w-]+)/.exec(path)?.[1];
  if (hash) await page.waitForFunction((id) => document.body.dataset.page === id, hash, { timeout: 60_000 });
  return { page, errors, report: async () => JSON.parse((await page.textContent('#report')) || '{}') };
}

/** Waits until the backend is started and the shell drawn (`body[data-ready]`). */
export async function waitForShell(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 60_000 });
}

/** Saves a full-page screenshot as `screenshots/<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}
