/**
 * What the Chromium benchmarks share (`bench:hf --chromium`, `bench:gpt2 --chromium`; never tests,
 * not in CI): bundling a page of bench/chromium/ for the browser, serving it cross-origin isolated
 * (COOP/COEP) with a checkpoint folder, heed's kernel modules and onnxruntime-web's dist, opening
 * one fresh page per engine in Debian's headless Chromium (@heed/browser-testing's launch flags)
 * with per-thread CPU marks of the renderer, and naming the machine.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import type { launchChromium } from '@heed/browser-testing';
import { rendererThreadTimes, threadUse, type ThreadTimes } from './renderer-threads';

const here = fileURLToPath(new URL('.', import.meta.url));
export const PACKAGE_ROOT = join(here, '..');
export const REPO_ROOT = join(PACKAGE_ROOT, '..', '..');
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** The browser `launchChromium` gives. */
export type Browser = Awaited<ReturnType<typeof launchChromium>>;

/** Bundles bench/chromium/<name>.ts for the browser into `site` (index.html + <name>.js). */
export async function bundlePage(site: string, name: string, title: string): Promise<void> {
  mkdirSync(site, { recursive: true });
  await build({
    entry: { [name]: join(here, 'chromium', `${name}.ts`) },
    outDir: site,
    format: ['esm'],
    platform: 'browser',
    target: 'es2022',
    silent: true,
    clean: false,
    dts: false,
    splitting: false,
    noExternal: [/.*/],
    external: [/^node:/],
  });
  writeFileSync(join(site, 'index.html'), `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./${name}.js"></script>`);
}

/**
 * Serves, all with COOP/COEP: the page (`site`) at /, the checkpoint folder at /model/, heed's kernel
 * modules and tfjs's wasm binaries (@heed/backends dist/wasm/) at /wasm/, onnxruntime-web's dist at /ort/.
 */
export async function serveIsolated(checkpoint: string, site: string): Promise<{ url: string; server: Server }> {
  // onnxruntime-web is a devDependency of @heed/backends (its exports hide package.json)
  const ortDist = join(REPO_ROOT, 'packages', 'backends', 'node_modules', 'onnxruntime-web', 'dist');
  const roots: [string, string][] = [
    ['/model/', checkpoint],
    ['/wasm/', join(REPO_ROOT, 'packages', 'backends', 'dist', 'wasm')],
    ['/ort/', ortDist],
    ['/', site],
  ];
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const [prefix, folder] = roots.find(([candidate]) => path.startsWith(candidate))!;
    let file = join(folder, path.slice(prefix.length));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404, ISOLATION).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': statSync(file).size, ...ISOLATION });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('serveIsolated: no port');
  return { url: `http://127.0.0.1:${address.port}/`, server };
}

/** The CPU's model name (lscpu, else os.cpus()). */
export function cpuModel(): string {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((entry) => entry.startsWith('Model name:'));
    if (line) return line.slice('Model name:'.length).trim();
  } catch {
    // lscpu missing: os.cpus() below
  }
  return cpus()[0]?.model ?? 'unknown CPU';
}

/** Renderer CPU snapshots the page took through `window.heedCpuMark(label)`. */
export type CpuMarks = Map<string, { at: number; times: ThreadTimes }>;

/** CPU time by renderer thread between the marks `<key>:start` and `<key>:end`, busiest first. */
export function cpuBetween(marks: CpuMarks, key: string): { wallMs: number; threads: { name: string; cpuMs: number }[] } | undefined {
  const [start, end] = [marks.get(`${key}:start`), marks.get(`${key}:end`)];
  return start && end && start.times.size ? { wallMs: end.at - start.at, threads: threadUse(start.times, end.times) } : undefined;
}

/**
 * Opens `url` in a fresh browser context, waits for the page's `window[entry]` and awaits
 * `window[entry](request)`; page errors are returned with the result, and `window.heedCpuMark`
 * snapshots the renderer threads' CPU time.
 */
export async function runPage<Request, Result>(browser: Browser, url: string, entry: string, request: Request): Promise<{ result: Result; errors: string[]; marks: CpuMarks }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const marks: CpuMarks = new Map();
    await page.exposeFunction('heedCpuMark', (label: string) => void marks.set(label, { at: performance.now(), times: rendererThreadTimes() }));
    await page.goto(url);
    await page.waitForFunction((name) => typeof (window as unknown as Record<string, unknown>)[name] === 'function', entry);
    const result = (await page.evaluate(
      ([name, body]) => (window as unknown as Record<string, (request: unknown) => Promise<unknown>>)[name]!(body),
      [entry, request] as [string, unknown],
    )) as Result;
    return { result, errors, marks };
  } finally {
    await context.close();
  }
}
