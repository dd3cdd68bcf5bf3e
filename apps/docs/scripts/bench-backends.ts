// Measures the WebGPU / WebGL / WASM / CPU trade-offs shown in the backends guide and writes the
// `tradeoffs` section of BENCHMARKS.md (the docs include it through a report fragment).
//
//   pnpm --filter @heed/docs bench        (Node: cpu, wasm; headless Chromium: webgpu, webgl, wasm)
//
// Every backend runs the same module (scripts/bench/backend-ops.ts) in a fresh process or page.
// Chromium is Debian's /usr/bin/chromium driven by playwright-core (never a downloaded browser);
// on a machine without a GPU its WebGPU is SwiftShader and its WebGL2 is SwiftShader behind ANGLE,
// so GPU rows are this machine's software renderers, not GPU speeds. The page is served with and
// without cross-origin isolation, so wasm is timed with and without threads.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import type { BackendRun } from './bench/backend-ops';
import { SIZES } from './bench/backend-ops';
import { DOCS_ROOT, REPO_ROOT } from './lib/workspace';

const CHROMIUM = process.env.HEED_CHROMIUM ?? '/usr/bin/chromium';
const BUNDLE = join(DOCS_ROOT, '.tmp', 'bench-browser');
const BUDGET_MS = Number(process.env.HEED_BENCH_BUDGET_MS ?? 4000);
const TSX = join(DOCS_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

/** One measured configuration: where it ran and the backend's figures. */
interface Measured {
  where: 'Node' | 'Chromium';
  label: string;
  run: BackendRun;
}

function nodeRun(backend: string): BackendRun {
  const output = execFileSync(process.execPath, [TSX, join(DOCS_ROOT, 'scripts', 'bench', 'node-run.ts'), backend], { cwd: DOCS_ROOT, encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(output.trim().split('\n').at(-1)!) as BackendRun;
}

/** Bundles scripts/bench/index.html with Vite (the one VitePress brings) into .tmp/bench-browser. */
async function bundle(): Promise<void> {
  const requireFromVitepress = createRequire(createRequire(import.meta.url).resolve('vitepress/package.json'));
  const vite = (await import(pathToFileURL(join(dirname(requireFromVitepress.resolve('vite/package.json')), 'dist', 'node', 'index.js')).href)) as { build: (config: Record<string, unknown>) => Promise<unknown> };
  await vite.build({
    root: join(DOCS_ROOT, 'scripts', 'bench'),
    base: './',
    logLevel: 'warn',
    configFile: false,
    build: { outDir: BUNDLE, emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 8192, reportCompressedSize: false },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

/** Serves the bundle at / and /isolated/ (with COOP/COEP), and the shipped weights at weights/. */
async function serve(): Promise<{ url: string; close: () => void }> {
  const weights = join(REPO_ROOT, 'packages', 'models', 'weights');
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const isolated = path.startsWith('/isolated/');
    if (isolated) path = path.slice('/isolated'.length);
    let file = path.startsWith('/weights/') ? join(weights, path.slice('/weights/'.length)) : join(BUNDLE, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      response.writeHead(404).end('not found');
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('bench: no port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => server.close() };
}

async function browserRuns(): Promise<{ runs: Measured[]; version: string }> {
  await bundle();
  const { url, close } = await serve();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--enable-unsafe-webgpu'],
  });
  const runs: Measured[] = [];
  try {
    const plan = [
      { backend: 'webgpu', path: '/isolated/', label: 'webgpu' },
      { backend: 'webgl', path: '/isolated/', label: 'webgl' },
      { backend: 'wasm', path: '/isolated/', label: 'wasm, cross-origin isolated' },
      { backend: 'wasm', path: '/', label: 'wasm, not isolated' },
    ];
    for (const step of plan) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${url}${step.path}`);
      await page.waitForFunction(() => typeof window.heedBench === 'function');
      console.log(`bench: Chromium ${step.label} …`);
      const run = await page.evaluate(([backend, budget]) => window.heedBench(backend as never, budget), [step.backend, BUDGET_MS] as const);
      if (errors.length) run.error = [run.error, ...errors].filter(Boolean).join('; ');
      runs.push({ where: 'Chromium', label: step.label, run });
      await context.close();
    }
    return { runs, version: browser.version() };
  } finally {
    await browser.close();
    close();
  }
}

const ms = (value: number): string => (value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2));

/** The BENCHMARKS.md section: machine, date, one table per piece of work, medians and the ratio to wasm of the same run. */
export function tradeoffsSection(measured: Measured[], chromiumVersion: string | undefined, lockNote: string): string {
  const tfjs = (JSON.parse(readFileSync(join(DOCS_ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')) as { version: string }).version;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const date = new Date().toISOString().slice(0, 10);
  const ok = measured.filter((entry) => !entry.run.error);
  // The wasm reference of each environment: Node's wasm, Chromium's isolated wasm.
  const reference = (where: Measured['where']) => ok.find((entry) => entry.where === where && entry.run.backend === 'wasm');
  const name = (entry: Measured) => `${entry.where} ${entry.label}`;
  const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(2)}x` : '–');
  const lines = [
    '## Backend trade-offs: webgpu, webgl, wasm, cpu (apps/docs)',
    '',
    `Machine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, no GPU; Node ${process.version}, tfjs ${tfjs}` +
      `${chromiumVersion ? `, Chromium ${chromiumVersion} (headless, Debian)` : ''}; ${date}. ${lockNote}`,
    '',
    'Written by `pnpm --filter @heed/docs bench` (apps/docs/scripts/bench-backends.ts). Every backend runs the same code in a fresh process (Node) or page (Chromium); ' +
      '*first* is the first run there (kernel/shader compilation and wasm warm-up included), the other columns are medians of the following runs. Every run reads its result back (`await data()`), as an application does, so GPU rows include the download. ' +
      '**There is no GPU here: Chromium\'s WebGPU is SwiftShader and its WebGL2 is SwiftShader behind ANGLE (software renderers on the CPU), so the webgpu/webgl rows show what those backends cost on this machine, never GPU speed.** ' +
      '*vs wasm* is the median divided by the wasm median of the same environment (Node: wasm in Node; Chromium: cross-origin isolated wasm); above 1 is slower.',
    '',
    '| environment | backend details | start (ms) | G2P model load (ms) |',
    '|---|---|---|---|',
    ...measured.map((entry) => `| ${name(entry)} | ${entry.run.error ? `failed: ${entry.run.error.replace(/\|/g, '\\|').slice(0, 160)}` : entry.run.details || '–'} | ${entry.run.error ? '–' : ms(entry.run.startMs)} | ${entry.run.error ? '–' : ms(entry.run.loadMs)} |`),
  ];
  const ids = ok[0]?.run.ops.map((op) => op.id) ?? [];
  for (const id of ids) {
    const work = ok[0]!.run.ops.find((op) => op.id === id)!.work;
    lines.push('', `### ${work}`, '', '| environment | first (ms) | median (ms) | runs | vs wasm |', '|---|---|---|---|---|');
    for (const entry of ok) {
      const op = entry.run.ops.find((candidate) => candidate.id === id);
      if (!op) continue;
      const base = reference(entry.where)?.run.ops.find((candidate) => candidate.id === id)?.medianMs;
      lines.push(`| ${name(entry)} | ${ms(op.firstMs)} | ${ms(op.medianMs)} | ${op.runs} | ${ratio(op.medianMs, base)} |`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = performance.now();
  const lockNote = `${process.env.HEED_BENCH_NOTE ? `${process.env.HEED_BENCH_NOTE} ` : ''}Load average at start ${loadavg().map((value) => value.toFixed(2)).join(' / ')} (1/5/15 min; the machine is shared, so absolute times are noisy; ratios within a run are the comparison).`;
  const measured: Measured[] = [];
  for (const backend of ['wasm', 'cpu']) {
    console.log(`bench: Node ${backend} …`);
    measured.push({ where: 'Node', label: backend, run: nodeRun(backend) });
  }
  let version: string | undefined;
  if (existsSync(CHROMIUM) && !process.env.HEED_BENCH_NODE_ONLY) {
    const browser = await browserRuns();
    measured.push(...browser.runs);
    version = browser.version;
  } else {
    console.warn(`bench: no browser rows (${existsSync(CHROMIUM) ? 'HEED_BENCH_NODE_ONLY set' : `${CHROMIUM} not found`})`);
  }
  const section = tradeoffsSection(measured, version, `${lockNote} Load average at end ${loadavg().map((value) => value.toFixed(2)).join(' / ')}.`);
  // The shared writer of BENCHMARKS.md sections (plain .mjs, so imported by URL with its type).
  const { writeBenchmarkSection } = (await import(pathToFileURL(join(REPO_ROOT, 'tooling', 'scripts', 'benchmarks-md.mjs')).href)) as {
    writeBenchmarkSection: (section: string, markdown: string) => void;
  };
  console.log(section);
  if (process.env.HEED_BENCH_DRY) return void console.log('bench: HEED_BENCH_DRY set, BENCHMARKS.md left as it is');
  // Without the browser rows the section would lose most of what the backends guide shows.
  if (version === undefined && !process.env.HEED_BENCH_NODE_ONLY) return void console.warn('bench: no Chromium, so BENCHMARKS.md is left as it is (HEED_BENCH_NODE_ONLY=1 writes the Node rows alone)');
  writeBenchmarkSection('tradeoffs', section);
  console.log(`bench: tradeoffs section written to BENCHMARKS.md in ${((performance.now() - started) / 1000).toFixed(0)} s (sizes ${JSON.stringify(SIZES)})`);
}

await main();
