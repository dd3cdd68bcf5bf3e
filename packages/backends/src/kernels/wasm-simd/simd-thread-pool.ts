/** Kernels a pool thread can run, by index (the worker source names them in the same order). */
export const POOL_FUNCTIONS = ['attentionForward', 'attentionBackward', 'matMulShared'] as const;
export type PoolFunction = (typeof POOL_FUNCTIONS)[number];

const MAX_ARGS = 40;
const STATE_BYTES = 64; // Int32 [generation, done, failed, ready]

/**
 * The loop every worker runs once it has its start data (`module`, `memory`, `control`, `index`,
 * `generation`, `names`): instantiate the threaded module on the shared memory, count itself
 * ready, then sleep on the generation counter, run this worker's job, count it done.
 */
const WORKER_LOOP = `
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const state = new Int32Array(control, 0, 16);
const args = new Float64Array(control, ${STATE_BYTES});
let generation = start;
Atomics.add(state, 3, 1);
for (;;) {
  Atomics.wait(state, 0, generation);
  generation = Atomics.load(state, 0);
  const base = index * ${MAX_ARGS};
  const count = args[base];
  const list = [];
  for (let i = 0; i < count; i++) list.push(args[base + 2 + i]);
  try { kernels[names[args[base + 1]]](...list); } catch { Atomics.store(state, 2, 1); }
  Atomics.add(state, 1, 1);
  Atomics.notify(state, 1);
}`;

/** Node worker_threads source (CommonJS, run with `eval: true`). */
const NODE_WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, index, generation: start, names } = workerData;
${WORKER_LOOP}`;

/** Browser Web Worker source: the start data arrives as the first message. */
const BROWSER_WORKER_SOURCE = `
self.onmessage = (event) => {
  const { module, memory, control, index, generation: start, names } = event.data;
  ${WORKER_LOOP}
};`;

interface NodeWorker {
  unref(): void;
}
interface WorkerThreads {
  Worker: new (source: string, options: { eval: true; workerData: unknown }) => NodeWorker;
}

type Kernels = Record<PoolFunction, (...args: number[]) => void>;

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Threads over one shared WebAssembly memory: the calling thread and `threads − 1` workers (Node
 * worker_threads, or Web Workers in a cross-origin isolated page) each run one share of a kernel
 * call, synchronously: the caller sleeps on Atomics.wait until all are done (Node's main thread
 * and workers allow that), or polls with Atomics.load on a browser's main thread, which may not block.
 */
export class SimdThreadPool {
  private readonly state: Int32Array;
  private readonly args: Float64Array;
  private readonly blocking = mayBlock();

  private constructor(
    readonly threads: number,
    private readonly kernels: Kernels,
    control: SharedArrayBuffer,
  ) {
    this.state = new Int32Array(control, 0, 16);
    this.args = new Float64Array(control, STATE_BYTES);
  }

  private static startData(module: WebAssembly.Module, memory: WebAssembly.Memory, control: SharedArrayBuffer, index: number) {
    return { module, memory, control, index, generation: 0, names: POOL_FUNCTIONS };
  }

  /** Node: starts `threads − 1` workers on `module` over `memory`; undefined where threads are unavailable. */
  static start(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: Kernels, threads: number): SimdThreadPool | undefined {
    const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (name: string) => unknown } }).process?.getBuiltinModule;
    const workerThreads = getBuiltin?.('node:worker_threads') as WorkerThreads | undefined;
    if (!workerThreads || threads < 2) return undefined;
    const control = new SharedArrayBuffer(STATE_BYTES + threads * MAX_ARGS * 8);
    for (let index = 1; index < threads; index++) {
      const worker = new workerThreads.Worker(NODE_WORKER_SOURCE, { eval: true, workerData: SimdThreadPool.startData(module, memory, control, index) });
      worker.unref(); // never keeps the process alive
    }
    return new SimdThreadPool(threads, kernels, control);
  }

  /**
   * Browsers: starts `threads − 1` Web Workers (from a Blob URL) on `module` over `memory` and
   * resolves once every one has instantiated it; undefined where Workers or SharedArrayBuffer
   * are missing (a page that is not cross-origin isolated), a worker fails, or `timeoutMs` passes.
   */
  static async startInBrowser(module: WebAssembly.Module, memory: WebAssembly.Memory, kernels: Kernels, threads: number, timeoutMs = 10_000): Promise<SimdThreadPool | undefined> {
    if (threads < 2 || typeof Worker === 'undefined' || typeof SharedArrayBuffer === 'undefined' || typeof Blob === 'undefined') return undefined;
    const control = new SharedArrayBuffer(STATE_BYTES + threads * MAX_ARGS * 8);
    const state = new Int32Array(control, 0, 16);
    const source = URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
    const workers: Worker[] = [];
    let failed = false;
    try {
      for (let index = 1; index < threads; index++) {
        const worker = new Worker(source);
        worker.onerror = () => {
          failed = true;
        };
        worker.postMessage(SimdThreadPool.startData(module, memory, control, index));
        workers.push(worker);
      }
      const deadline = Date.now() + timeoutMs;
      while (Atomics.load(state, 3) < threads - 1 && !failed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    } catch {
      failed = true;
    } finally {
      URL.revokeObjectURL(source);
    }
    if (failed || Atomics.load(state, 3) < threads - 1) {
      for (const worker of workers) worker.terminate();
      return undefined;
    }
    return new SimdThreadPool(threads, kernels, control);
  }

  /**
   * Runs `name` once per thread with that thread's arguments (`shares[0]` on the caller); exactly
   * one share per thread (an idle thread gets an empty range).
   */
  run(name: PoolFunction, shares: number[][]): void {
    if (shares.length !== this.threads) throw new Error(`SimdThreadPool.run: ${shares.length} shares for ${this.threads} threads`);
    Atomics.store(this.state, 1, 0);
    Atomics.store(this.state, 2, 0);
    const workers = shares.length - 1;
    for (let index = 1; index < shares.length; index++) {
      const share = shares[index] as number[];
      const base = index * MAX_ARGS;
      this.args[base] = share.length;
      this.args[base + 1] = POOL_FUNCTIONS.indexOf(name);
      this.args.set(share, base + 2);
    }
    Atomics.add(this.state, 0, 1);
    Atomics.notify(this.state, 0);
    this.kernels[name](...(shares[0] as number[]));
    for (let done = Atomics.load(this.state, 1); done < workers; done = Atomics.load(this.state, 1)) {
      if (this.blocking) Atomics.wait(this.state, 1, done, 10_000);
    }
    if (Atomics.load(this.state, 2) !== 0) throw new Error(`SimdThreadPool: ${name} failed in a worker`);
  }
}
