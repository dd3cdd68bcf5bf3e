import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserUnavailable, launchChromium, serveStatic } from '@heed/browser-testing';

const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping the Web Worker pool tests: ${skipReason}`);

const site = fileURLToPath(new URL('../../../.tmp/web-worker-pool/', import.meta.url));
const ISOLATION = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

interface PoolCheck {
  failure?: string;
  info?: { build: string; threads: number; notes: string[] };
  isolated?: boolean;
  poolVsSingle?: number;
  /** max |pooled − float64 reference| / (1 + |reference|) */
  poolVsReference?: number;
}

describe.skipIf(skipReason !== undefined)("heed's kernels in headless Chromium", () => {
  let browser: Browser;

  beforeAll(async () => {
    // the page: the fixture bundled as a browser would load it, next to dist/wasm/'s modules
    mkdirSync(`${site}wasm`, { recursive: true });
    await build({ entry: { 'pool-page': fileURLToPath(new URL('./__fixtures__/pool-page.ts', import.meta.url)) }, outDir: site, format: ['esm'], platform: 'browser', silent: true, clean: false, dts: false });
    const wasm = fileURLToPath(new URL('../../../dist/wasm/', import.meta.url));
    for (const file of readdirSync(wasm).filter((name) => name.startsWith('heed-kernels'))) copyFileSync(`${wasm}${file}`, `${site}wasm/${file}`);
    writeFileSync(`${site}index.html`, '<!doctype html><meta charset="utf-8"><script type="module" src="./pool-page.js"></script>');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function check(headers: Record<string, string>): Promise<PoolCheck> {
    const { url, server } = await serveStatic(site, { headers });
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => 'runPoolCheck' in globalThis);
      const result = (await page.evaluate('runPoolCheck()')) as PoolCheck;
      await page.close();
      return result;
    } finally {
      server.close();
    }
  }

  it('cross-origin isolated: the relaxed build on a Web Worker pool, matching one thread and the reference', async () => {
    const result = await check(ISOLATION);
    expect(result.failure).toBeUndefined();
    expect(result.isolated).toBe(true);
    expect(result.info).toMatchObject({ build: 'relaxed', notes: [] });
    expect(result.info?.threads).toBeGreaterThanOrEqual(2);
    // the same tile arithmetic on every thread: bands of rows give the single-thread values exactly
    expect(result.poolVsSingle).toBe(0);
    expect(result.poolVsReference).toBeLessThan(2e-5);
  });

  it('not isolated: one thread, and the report says why', async () => {
    const result = await check({});
    expect(result.failure).toBeUndefined();
    expect(result.isolated).toBe(false);
    expect(result.info).toMatchObject({ build: 'relaxed', threads: 1, notes: ['the page is not cross-origin isolated (COOP/COEP): one thread'] });
    expect(result.poolVsReference).toBeLessThan(2e-5);
  });
});
