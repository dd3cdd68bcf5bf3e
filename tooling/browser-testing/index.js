// Shared by the browser tests of @heed/training, apps/demo and apps/docs: Debian's Chromium
// through playwright-core (never a downloaded browser) and a static server for built pages.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`, as .ci/run does), or HEED_CHROMIUM. */
export const CHROMIUM = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';

export function browserUnavailable() {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set HEED_CHROMIUM)`;
}

export function launchChromium({ webgpu = false } = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      ...(webgpu ? ['--enable-unsafe-webgpu'] : []),
    ],
  });
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function serveStatic(folder, { headers = {}, htmlExtension = false } = {}) {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(folder, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (htmlExtension && !existsSync(file) && existsSync(`${file}.html`)) file = `${file}.html`;
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...headers });
    createReadStream(file).pipe(response);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serveStatic: no port');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}
