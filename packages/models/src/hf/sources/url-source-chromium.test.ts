// urlSource in a real browser (Debian's headless Chromium): the browser's own Cache API keeps the
// downloaded files, so after a reload a second visit makes no request to the server.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { browserUnavailable, launchChromium } from '@heed/browser-testing';
import type { Browser } from 'playwright-core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safetensorsBytes } from '../safetensors/serialize-safetensors';

const skipReason = browserUnavailable();
if (skipReason) console.warn(`[heed] skipping the Chromium Cache API test: ${skipReason}`);
const here = dirname(fileURLToPath(import.meta.url));

/** The browser-safe modules urlSource needs, compiled to plain ES modules served under /lib/. */
function compiled(file: string): string {
  const source = readFileSync(join(here, file), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  return outputText.replace(/from '(\.\.?\/[^']+)'/g, (_, path: string) => `from '/lib/${basename(path)}.js'`);
}

interface Visit {
  modelType: string; size: number; headerLength: number; lastValue: number;
  progress: { file: string; loaded: number; cached: boolean }[]; cachedKeys: string[]; missing: string;
}
const VISIT = `(async () => {
  const { urlSource } = await import('/lib/url-source.js');
  const progress = [];
  const source = urlSource(location.origin + '/hub/tiny/resolve/main', { onProgress: ({ file, loaded, cached }) => progress.push({ file, loaded, cached }) });
  const config = JSON.parse(await source.readText('config.json'));
  const weights = await source.open('model.safetensors');
  const head = await weights.read(0, 8);
  const headerLength = Number(new DataView(head.buffer, head.byteOffset, 8).getBigUint64(0, true));
  const last = await weights.read(weights.size - 4, 4);
  const cachedKeys = (await (await caches.open('heed-hf')).keys()).map((request) => new URL(request.url).pathname);
  const missing = await source.readText('tokenizer.json').then(() => 'found', (error) => error.message);
  return { modelType: config.model_type, size: weights.size, headerLength, lastValue: new DataView(last.buffer, last.byteOffset, 4).getFloat32(0, true), progress, cachedKeys, missing };
})()`;

describe.skipIf(skipReason !== undefined)('urlSource in headless Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin = '';
  const hubRequests: string[] = [];
  const files = new Map<string, { body: Uint8Array | string; type: string }>();

  beforeAll(async () => {
    files.set('/', { body: '<!doctype html><title>heed urlSource</title>', type: 'text/html' });
    for (const file of ['url-source.ts', 'checkpoint-source.ts', '../safetensors/byte-source.ts']) {
      files.set(`/lib/${basename(file, '.ts')}.js`, { body: compiled(file), type: 'text/javascript' });
    }
    files.set('/hub/tiny/resolve/main/config.json', { body: '{"model_type":"bert"}', type: 'application/json' });
    files.set('/hub/tiny/resolve/main/model.safetensors', { body: await safetensorsBytes({ w: { shape: [256], data: Float32Array.from({ length: 256 }, (_, i) => i) } }), type: 'application/octet-stream' });
    server = createServer((request, response) => {
      if (request.url?.startsWith('/hub/')) hubRequests.push(`${request.method} ${request.url}`);
      const file = files.get(request.url ?? '');
      if (!file) return void response.writeHead(404, 'Not Found').end();
      response.writeHead(200, { 'content-type': file.type, 'content-length': Buffer.byteLength(file.body) }).end(file.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('downloads once with progress; after a reload everything comes from caches.open("heed-hf")', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    // Plain JavaScript run in the page (a string, so the test runner's transforms leave import() alone).
    const visit = () => page.evaluate(VISIT) as Promise<Visit>;
    const first = await visit();
    expect(first.modelType).toBe('bert');
    expect(first.lastValue).toBe(255);
    expect(first.headerLength).toBeGreaterThan(0);
    expect(first.cachedKeys.sort()).toEqual(['/hub/tiny/resolve/main/config.json', '/hub/tiny/resolve/main/model.safetensors']);
    expect(first.progress.filter((report) => report.file === 'model.safetensors').at(-1)).toEqual({ file: 'model.safetensors', loaded: first.size, cached: false });
    expect(first.missing).toBe(`${origin}/hub/tiny/resolve/main/tokenizer.json: HTTP 404 Not Found`);
    expect(hubRequests.filter((line) => !line.includes('tokenizer.json'))).toEqual([
      'GET /hub/tiny/resolve/main/config.json',
      'GET /hub/tiny/resolve/main/model.safetensors',
    ]);
    hubRequests.length = 0;
    await page.reload();
    const second = await visit();
    expect(second.lastValue).toBe(255);
    expect(second.progress.map((report) => report.cached)).toEqual([true, true]);
    expect(hubRequests).toEqual(['GET /hub/tiny/resolve/main/tokenizer.json']); // only the file that was never there
    await page.close();
  }, 60_000);
});
