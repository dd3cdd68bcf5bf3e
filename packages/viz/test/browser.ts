// Headless Chromium (Debian's, never a downloaded one) with the package bundled from source.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined. */
export const browserUnavailable = (): string | undefined => (existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found`);

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-gpu'],
  });
}

/** src/index.ts (with uPlot) as one script that sets `window.heedViz`. */
export async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'heedViz',
    write: false,
    target: 'es2022',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/** A blank page with the bundle loaded and uPlot's stylesheet applied. */
export async function vizPage(browser: Browser, script: string, css: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 800, height: 600 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.setContent(`<!doctype html><html><head><style>${css} body{margin:0;font-family:sans-serif}</style></head><body></body></html>`);
  await page.addScriptTag({ content: script });
  (page as Page & { errors: string[] }).errors = errors;
  return page;
}
