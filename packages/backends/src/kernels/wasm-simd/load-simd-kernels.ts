import { isNode } from '../../environment/is-node';
import { SimdHeap, type SimdExports } from './simd-heap';
import { SimdThreadPool } from './simd-thread-pool';

/** Where the build (`asc`, see package.json) writes the module, relative to dist/index.js. */
const FILE = 'heed-kernels.wasm';
/** The same kernels on an imported shared memory, for worker threads. */
const THREADED_FILE = 'heed-kernels-threaded.wasm';

let heap: SimdHeap | undefined;
let failure: string | undefined;
let pending: Promise<boolean> | undefined;

/** Candidate locations: next to the bundle (dist/wasm/), or dist/wasm/ seen from src/ in tests. */
function candidates(file = FILE): URL[] {
  return [new URL(`./wasm/${file}`, import.meta.url), new URL(`../../../dist/wasm/${file}`, import.meta.url)];
}

function instantiate(module: WebAssembly.Module): SimdHeap {
  const instance = new WebAssembly.Instance(module, {});
  return new SimdHeap(instance.exports as unknown as SimdExports);
}

interface NodeFs {
  existsSync(path: URL): boolean;
  readFileSync(path: URL): Uint8Array;
}

/** Threads for the SIMD kernels in Node: HEED_SIMD_THREADS, else the cores (at most 4). */
function threadCount(os: { availableParallelism?: () => number; cpus(): unknown[] }): number {
  const fromEnv = Number(process.env.HEED_SIMD_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv;
  return Math.min(4, os.availableParallelism?.() ?? os.cpus().length);
}

/** The threaded module over a shared memory plus its worker pool, or undefined. */
function loadThreaded(fs: NodeFs, threads: number): SimdHeap | undefined {
  const url = candidates(THREADED_FILE).find((candidate) => candidate.protocol === 'file:' && fs.existsSync(candidate));
  if (!url || threads < 2) return undefined;
  const module = new WebAssembly.Module(fs.readFileSync(url) as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as SimdExports;
  const pool = SimdThreadPool.start(module, memory, exports as never, threads);
  return pool ? new SimdHeap(exports, pool) : undefined;
}

/** Node: read and compile synchronously (Node allows synchronous compiles of any size). */
function loadInNode(): boolean {
  const getBuiltin = (process as unknown as { getBuiltinModule?: (name: string) => unknown }).getBuiltinModule;
  if (!getBuiltin) {
    failure = 'process.getBuiltinModule is missing (Node < 20.16)';
    return false;
  }
  const fs = getBuiltin('node:fs') as NodeFs;
  heap = loadThreaded(fs, threadCount(getBuiltin('node:os') as never));
  if (heap) return true;
  const url = candidates().find((candidate) => candidate.protocol === 'file:' && fs.existsSync(candidate));
  if (!url) {
    failure = `${FILE} not found (run \`pnpm build\` in @heed/backends); looked at ${candidates().join(', ')}`;
    return false;
  }
  const bytes = fs.readFileSync(url);
  heap = instantiate(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>));
  return true;
}

/**
 * Loads heed's WebAssembly SIMD kernels. In Node this finishes synchronously (the returned
 * promise is already settled); in browsers the module is fetched from `url` (default: next to
 * the bundle). Until it is loaded, kernels run their JavaScript reference cores. Never throws:
 * resolves false and records why (see {@link simdKernelsFailure}).
 *
 * @example
 * ```ts
 * import { loadSimdKernels } from '@heed/backends';
 * if (!(await loadSimdKernels())) console.warn('SIMD kernels unavailable:', simdKernelsFailure());
 * ```
 */
export function loadSimdKernels(url?: string | URL): Promise<boolean> {
  if (heap) return Promise.resolve(true);
  if (pending) return pending;
  if (typeof WebAssembly === 'undefined' || !WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))) {
    failure = 'WebAssembly is unavailable';
    return Promise.resolve(false);
  }
  if (isNode() && url === undefined) {
    try {
      return Promise.resolve(loadInNode());
    } catch (error) {
      failure = (error as Error).message;
      return Promise.resolve(false);
    }
  }
  pending = (async () => {
    try {
      const response = await fetch(url ?? (candidates()[0] as URL));
      if (!response.ok) throw new Error(`fetching ${response.url} gave HTTP ${response.status}`);
      heap = instantiate(await WebAssembly.compile(await response.arrayBuffer()));
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

/** @returns the loaded SIMD module's heap, or undefined before {@link loadSimdKernels} succeeds. */
export function simdHeap(): SimdHeap | undefined {
  return heap;
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
