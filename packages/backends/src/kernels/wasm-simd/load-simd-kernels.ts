import { isNode } from '../../environment/is-node';
import { chooseSimdBuild, type SimdBuild } from './simd-build';
import { SimdHeap, type SimdExports } from './simd-heap';
import { SimdThreadPool } from './simd-thread-pool';

/**
 * The module files the build (`asc`, scripts/build-kernels.mjs) writes, relative to
 * dist/index.js: per build, one on its own memory and one on an imported shared memory (threads).
 */
const FILES: Record<SimdBuild, { single: string; threaded: string }> = {
  plain: { single: 'heed-kernels.wasm', threaded: 'heed-kernels-threaded.wasm' },
  relaxed: { single: 'heed-kernels-relaxed.wasm', threaded: 'heed-kernels-relaxed-threaded.wasm' },
};

/** Options of {@link loadSimdKernels}. */
export interface LoadSimdKernelsOptions {
  /**
   * 'relaxed' (fused multiply-add), 'plain' (SIMD without relaxed instructions) or 'auto' (the
   * default; in Node HEED_SIMD_BUILD may set it): relaxed wherever `WebAssembly.validate` accepts it.
   */
  build?: SimdBuild | 'auto';
  /**
   * Threads per kernel call. Default: Node HEED_SIMD_THREADS, else the cores (at most 4);
   * browsers the same cores when the page is cross-origin isolated, else 1.
   */
  threads?: number;
  /** Folder URL (ending in `/`) holding the heed-kernels*.wasm files. Default: next to the bundle. */
  baseUrl?: string | URL;
}

/** What {@link loadSimdKernels} loaded. */
export interface SimdKernelsInfo {
  build: SimdBuild;
  /** Threads a kernel call may use (the pool size; 1 without a pool). */
  threads: number;
  /** Why the plain build or one thread runs, where it is not the best this engine could do. */
  notes: string[];
}

let heap: SimdHeap | undefined;
let info: SimdKernelsInfo | undefined;
let failure: string | undefined;
let pending: Promise<boolean> | undefined;

/** Candidate locations: `baseUrl`, or next to the bundle (dist/wasm/) and dist/wasm/ seen from src/ in tests. */
function candidates(file: string, baseUrl?: string | URL): URL[] {
  if (baseUrl !== undefined) return [new URL(file, baseUrl)];
  return [new URL(`./wasm/${file}`, import.meta.url), new URL(`../../../dist/wasm/${file}`, import.meta.url)];
}

interface NodeFs {
  existsSync(path: URL): boolean;
  readFileSync(path: URL): Uint8Array;
}

/** Threads for the SIMD kernels: the option, HEED_SIMD_THREADS, else the cores (at most 4). */
function threadCount(requested: number | undefined, cores: number): number {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1) throw new Error(`loadSimdKernels: options.threads must be an integer ≥ 1; got ${requested}`);
    return requested;
  }
  const fromEnv = Number((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.HEED_SIMD_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.min(4, cores);
}

const sharedMemory = () => new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
const threadedExports = (module: WebAssembly.Module, memory: WebAssembly.Memory) =>
  new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdExports;
const singleHeap = (module: WebAssembly.Module) => new SimdHeap(new WebAssembly.Instance(module, {}).exports as unknown as SimdExports);

/** Node: read and compile synchronously (Node allows synchronous compiles of any size). */
function loadInNode(build: SimdBuild, threads: number, notes: string[], baseUrl?: string | URL): boolean {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (name: string) => unknown }).getBuiltinModule;
  if (!getBuiltin) {
    failure = 'process.getBuiltinModule is missing (Node < 20.16)';
    return false;
  }
  const fs = getBuiltin('node:fs') as NodeFs;
  const find = (file: string) => candidates(file, baseUrl).find((candidate) => candidate.protocol === 'file:' && fs.existsSync(candidate));
  const threadedUrl = threads >= 2 ? find(FILES[build].threaded) : undefined;
  if (threadedUrl) {
    const module = new WebAssembly.Module(fs.readFileSync(threadedUrl) as Uint8Array<ArrayBuffer>);
    const memory = sharedMemory();
    const exports = threadedExports(module, memory);
    const pool = SimdThreadPool.start(module, memory, exports as never, threads);
    if (pool) heap = new SimdHeap(exports, pool);
  }
  if (!heap) {
    const url = find(FILES[build].single);
    if (!url) {
      failure = `${FILES[build].single} not found (run \`pnpm build\` in @heed/backends); looked at ${candidates(FILES[build].single, baseUrl).join(', ')}`;
      return false;
    }
    heap = singleHeap(new WebAssembly.Module(fs.readFileSync(url) as Uint8Array<ArrayBuffer>));
    if (threads >= 2) notes.push('no worker_threads pool could start: one thread');
  }
  info = { build, threads: heap.pool?.threads ?? 1, notes };
  return true;
}

async function compileFrom(url: URL): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${response.url || url} gave HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

/** Browsers: the threaded module and a Web Worker pool when cross-origin isolated, else one thread. */
async function loadInBrowser(build: SimdBuild, threads: number, notes: string[], baseUrl?: string | URL): Promise<void> {
  const isolated = Boolean((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated) && typeof SharedArrayBuffer !== 'undefined';
  if (threads >= 2 && !isolated) notes.push('the page is not cross-origin isolated (COOP/COEP): one thread');
  if (threads >= 2 && isolated) {
    const module = await compileFrom(candidates(FILES[build].threaded, baseUrl)[0] as URL);
    const memory = sharedMemory();
    const exports = threadedExports(module, memory);
    const pool = await SimdThreadPool.startInBrowser(module, memory, exports as never, threads);
    if (pool) heap = new SimdHeap(exports, pool);
    else notes.push('no Web Worker pool could start: one thread');
  }
  heap ??= singleHeap(await compileFrom(candidates(FILES[build].single, baseUrl)[0] as URL));
  info = { build, threads: heap.pool?.threads ?? 1, notes };
}

/**
 * Loads heed's WebAssembly SIMD kernels: the relaxed-SIMD (fused multiply-add) build where the
 * engine validates it, else the plain SIMD build; with a worker pool where threads can run (Node
 * worker_threads; Web Workers in a cross-origin isolated page). In Node this finishes
 * synchronously (the returned promise is already settled); in browsers the modules are fetched
 * (default: next to the bundle). Until loaded, kernels run their JavaScript reference cores.
 * Never throws for a missing module: resolves false and records why (see
 * {@link simdKernelsFailure}). `source` may also be the URL of one single-threaded module file.
 * Node 20 validates relaxed SIMD only with `--experimental-wasm-relaxed-simd` (NODE_OPTIONS).
 *
 * @example
 * ```ts
 * import { loadSimdKernels, simdKernelsInfo, simdKernelsFailure } from '@heed/backends';
 * if (await loadSimdKernels()) console.log(simdKernelsInfo()); // { build: 'relaxed', threads: 2, notes: [] }
 * else console.warn('SIMD kernels unavailable:', simdKernelsFailure());
 * await loadSimdKernels({ build: 'plain', threads: 1 }); // a first load only: later calls keep what loaded
 * ```
 */
export function loadSimdKernels(source?: string | URL | LoadSimdKernelsOptions): Promise<boolean> {
  if (heap) return Promise.resolve(true);
  if (pending) return pending;
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))) {
    failure = 'WebAssembly is unavailable';
    return Promise.resolve(false);
  }
  const moduleUrl = typeof source === 'string' || source instanceof URL ? source : undefined;
  const options = typeof source === 'object' && !(source instanceof URL) ? source : {};
  let choice;
  let threads;
  try {
    choice = chooseSimdBuild(options.build);
    threads = threadCount(options.threads, isNode() ? nodeCores() : (globalThis.navigator?.hardwareConcurrency ?? 1));
  } catch (error) {
    failure = (error as Error).message;
    return Promise.resolve(false);
  }
  const notes = choice.reason ? [choice.reason] : [];
  const { build } = choice;
  if (isNode() && moduleUrl === undefined) {
    try {
      return Promise.resolve(loadInNode(build, threads, notes, options.baseUrl));
    } catch (error) {
      failure = (error as Error).message;
      return Promise.resolve(false);
    }
  }
  pending = (async () => {
    try {
      if (moduleUrl === undefined) await loadInBrowser(build, threads, notes, options.baseUrl);
      else {
        const module = await compileFrom(new URL(moduleUrl, globalThis.location?.href ?? import.meta.url));
        heap = singleHeap(module);
        // one named module file: its build is in its name (heed-kernels-relaxed.wasm)
        info = { build: /relaxed/.test(String(moduleUrl)) ? 'relaxed' : 'plain', threads: 1, notes: [] };
      }
      return true;
    } catch (error) {
      failure = (error as Error).message;
      return false;
    } finally {
      pending = undefined;
    }
  })();
  return pending;
}

function nodeCores(): number {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (name: string) => unknown }).getBuiltinModule;
  const os = getBuiltin?.('node:os') as { availableParallelism?: () => number; cpus(): unknown[] } | undefined;
  return os ? (os.availableParallelism?.() ?? os.cpus().length) : 1;
}

/** @returns the loaded SIMD module's heap, or undefined before {@link loadSimdKernels} succeeds. */
export function simdHeap(): SimdHeap | undefined {
  return heap;
}

/**
 * @returns which kernel build runs and on how many threads, once {@link loadSimdKernels} succeeded.
 *
 * @example
 * ```ts
 * await loadSimdKernels();
 * simdKernelsInfo(); // { build: 'plain', threads: 2, notes: ['this engine rejects WebAssembly relaxed SIMD (…)'] }
 * ```
 */
export function simdKernelsInfo(): SimdKernelsInfo | undefined {
  return info && { ...info, notes: [...info.notes] };
}

/**
 * @returns why the SIMD kernels could not load, if they could not.
 *
 * @example
 * ```ts
 * if (!(await loadSimdKernels())) console.warn(simdKernelsFailure());
 * ```
 */
export function simdKernelsFailure(): string | undefined {
  return failure;
}
