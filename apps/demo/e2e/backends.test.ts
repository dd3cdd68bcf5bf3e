// The built demo in headless Chromium: heed picks a backend by itself, the switcher moves between
// webgpu, webgl and wasm, and a missing feature (WebGPU, SharedArrayBuffer) degrades with a notice.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import { openDemo, screenshot, waitForShell } from './open-page';

const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping browser tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)('demo backends in headless Chromium', () => {
  let browser: Browser;
  const url = inject('demoUrl');

  beforeAll(async () => {
    browser = await launchChromium({ webgpu: true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('forces wasm with SIMD: binaries come from the Vite build, no setWasmPaths', async () => {
    const { page, report, errors } = await openDemo(browser, url, '?backend=wasm#/home');
    const chosen = await report();
    expect(chosen).toMatchObject({ name: 'wasm', simd: true });
    // cross-origin isolated Chromium: heed's relaxed-SIMD (FMA) kernels on a Web Worker pool
    expect(chosen.simdKernels).toMatchObject({ build: 'relaxed', notes: [] });
    expect(chosen.simdKernels?.threads).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#heatmap rect.cell').count()).toBe(16);
    expect(await page.textContent('#backend')).toBe('wasm');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('picks a backend by itself in the browser order webgpu → webgl → wasm → cpu', async () => {
    const { page, report, errors } = await openDemo(browser, url, '#/home');
    const chosen = await report();
    expect(chosen.tried.map((attempt) => attempt.name)).toEqual(['webgpu', 'webgl', 'wasm', 'cpu'].slice(0, chosen.tried.length));
    expect(chosen.tried.at(-1)).toEqual({ name: chosen.name, ok: true });
    expect(await page.locator('#heatmap rect.cell').count()).toBe(16);
    // SwiftShader's WebGPU is software, so automatic mode skips it and says so.
    if (chosen.name !== 'webgpu') expect(await page.textContent('#notices')).toContain('WebGPU was not used');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches to webgpu, webgl and wasm from the backend select, keeping the page', async () => {
    const { page, errors } = await openDemo(browser, url, '#/playground');
    for (const backend of ['webgpu', 'webgl', 'wasm']) {
      await Promise.all([page.waitForURL(`**/?backend=${backend}#/playground`), page.selectOption('#backend-select', backend)]);
      await waitForShell(page);
      await page.waitForFunction(() => document.body.dataset.page === 'playground');
      const report = JSON.parse((await page.textContent('#report')) || '{}');
      expect(report.name).toBe(backend);
      expect(await page.textContent('#backend')).toBe(backend);
      expect(await page.inputValue('#backend-select')).toBe(backend);
      if (backend === 'webgpu') expect(report.adapter).toBeDefined();
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#playground-weights')?.dataset.state === 'ready');
      if (backend === 'webgpu') await screenshot(page, 'backend-webgpu');
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('falls back with a visible notice when WebGPU is missing', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      delete (Navigator.prototype as { gpu?: unknown }).gpu;
    });
    await page.goto(`${url}?backend=webgpu#/home`);
    await waitForShell(page);
    const report = JSON.parse((await page.textContent('#report')) || '{}');
    expect(report.name).not.toBe('webgpu');
    const notices = await page.textContent('#notices');
    expect(notices).toContain('webgpu is not available in this browser');
    expect(notices).toContain('no WebGPU');
    await page.waitForFunction(() => document.body.dataset.page === 'home');
    expect(await page.locator('#heatmap rect.cell').count()).toBe(16);
    await screenshot(page, 'fallback-no-webgpu');
    await page.close();
  });

  it('runs wasm single-threaded with a notice when SharedArrayBuffer is missing', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      delete (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
    });
    await page.goto(`${url}?backend=wasm#/home`);
    await waitForShell(page);
    const report = JSON.parse((await page.textContent('#report')) || '{}');
    expect(report).toMatchObject({ name: 'wasm', threads: false });
    expect(await page.textContent('#notices')).toContain('SharedArrayBuffer is unavailable');
    await page.waitForFunction(() => document.body.dataset.page === 'home');
    expect(await page.locator('#heatmap rect.cell').count()).toBe(16);
    await page.close();
  });
});
