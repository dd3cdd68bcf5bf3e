// The built demo in headless Chromium: heed picks a backend by itself, and the wasm backend finds
// its binaries in a Vite-built page without any setWasmPaths call.
import { execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchChromium } from './launch-chromium';
import { serveStatic } from './serve-static';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping browser tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('demo in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL('../node_modules/vite/bin/vite.js', import.meta.url)), 'build', '--logLevel', 'error'], {
      cwd: appRoot,
      stdio: 'pipe',
    });
    ({ server, url } = await serveStatic(fileURLToPath(new URL('../dist', import.meta.url))));
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  async function open(query: string) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      // A failed request is reported below with its URL.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) errors.push(message.text());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${url}${query}`);
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 60_000 });
    const report = JSON.parse((await page.textContent('#report')) || '{}');
    const cells = await page.locator('#heatmap rect.cell').count();
    return { page, report, cells, errors, ready: await page.evaluate(() => document.body.dataset.ready) };
  }

  it('forces wasm with SIMD: binaries come from the Vite build, no setWasmPaths', async () => {
    const { page, report, cells, errors, ready } = await open('?backend=wasm');
    expect(ready).toBe('true');
    expect(report).toMatchObject({ name: 'wasm', simd: true });
    expect(cells).toBe(16);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('picks a backend by itself in the browser order webgpu → webgl → wasm → cpu', async () => {
    const { page, report, cells, ready } = await open('');
    expect(ready).toBe('true');
    expect(report.tried.map((attempt: { name: string }) => attempt.name)).toEqual(
      ['webgpu', 'webgl', 'wasm', 'cpu'].slice(0, report.tried.length),
    );
    expect(report.tried.at(-1)).toEqual({ name: report.name, ok: true });
    expect(cells).toBe(16);
    await page.close();
  });

  it('runs on webgl when forced', async () => {
    const { page, report, ready } = await open('?backend=webgl');
    expect(ready).toBe('true');
    expect(report).toMatchObject({ name: 'webgl', isGpu: true });
    await page.close();
  });

  it('runs on webgpu when forced (SwiftShader here), reporting the adapter', async () => {
    const { page, report, cells, ready } = await open('?backend=webgpu');
    expect(ready).toBe('true');
    expect(report.name).toBe('webgpu');
    expect(report.adapter).toBeDefined();
    expect(cells).toBe(16);
    await page.close();
  });
});
