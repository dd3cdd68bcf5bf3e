/**
 * The page of hf-bert-chromium.ts (bundled by it with tsup for the browser; never a test): times
 * one engine's bert-base forward in headless Chromium. The runner opens a fresh page per engine
 * and calls `window.hfBertBench(request)`; the checkpoint is served at `/model/` (config.json,
 * model.safetensors, model.onnx), heed's kernel modules at `/wasm/`, onnxruntime-web's dist at
 * `/ort/`, all with COOP/COEP so the page is cross-origin isolated and both engines may use threads.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, setSimdThreads, simdKernelsInfo } from '@heed/backends';
import { fromPretrained } from '../../src/hf/from-pretrained';
import type { BertForSequenceClassification } from '../../src/bert/bert-for-sequence-classification';
import { benchIds, median, SEQ } from '../bert-bench-inputs';

/** What the runner asks one page to time. */
export interface PageRequest {
  engine: 'heed' | 'onnxruntime-web';
  /** heed's tfjs backend (default wasm); 'webgpu' is SwiftShader here. */
  backend?: 'wasm' | 'webgpu';
  /** heed: `setSimdThreads(n)` after start; onnxruntime-web: `env.wasm.numThreads`. Default: the engine's own. */
  threads?: number;
  /**
   * heed on wasm: false loads tfjs's single-threaded SIMD binary instead of its threaded one
   * (`WASM_HAS_MULTITHREAD_SUPPORT` off), so only heed's pool runs threads. Default: tfjs decides.
   */
  tfjsThreads?: boolean;
  batches: number[];
  /** Timed runs per batch after the first. */
  reps: number;
  /** Stop timing a batch once this many ms have passed (at least one timed run). */
  budgetMs?: number;
  /**
   * heed: one more run per batch under `tf.profile`, kernels summed by name, and matMul 1024³
   * timed on 1 and on all of the pool's threads (is the Web Worker pool doing its share?).
   */
  profile?: boolean;
}

/** matMul 1024³ in this page on `threads` of heed's pool: median ms of alternated runs. */
export interface PoolCheck {
  threads: number;
  medianMs: number;
  gflops: number;
}

/** One batch's figures. */
export interface PageBatch {
  batch: number;
  /** The first forward at this batch in this page (kernel set-up, allocation, JIT included), ms. */
  firstMs: number;
  /** NaN when no run followed the first (`reps` 0). */
  medianMs: number;
  runs: number;
  /** Every timed run after the first, ms. */
  times: number[];
  /** logits, (batch, labels) flattened. */
  logits: number[];
  /** heed with `profile`: [kernel, total ms, calls], largest first. */
  kernels?: [string, number, number][];
}

/** Everything one page measured. */
export interface PageResult {
  engine: string;
  details: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Engine start (heed: initBackend; onnxruntime-web: importing its module), ms. */
  startMs: number;
  /** Weights into the engine (heed: fromPretrained over HTTP; onnxruntime-web: fetch + InferenceSession.create), ms. */
  loadMs: number;
  batches: PageBatch[];
  /** heed with `profile`: matMul 1024³ per thread count. */
  poolCheck?: PoolCheck[];
  error?: string;
}

/** The part of onnxruntime-web's module this page uses. */
interface OrtWeb {
  env: { versions?: Record<string, string>; wasm: { numThreads?: number; wasmPaths?: string; proxy?: boolean } };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
  InferenceSession: {
    create(model: Uint8Array, options: object): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>; release(): Promise<void> }>;
  };
}

declare global {
  interface Window {
    hfBertBench: (request: PageRequest) => Promise<PageResult>;
    /** Set by the runner (page.exposeFunction): snapshots the renderer's per-thread CPU time under `label`. */
    heedCpuMark?: (label: string) => Promise<void>;
  }
}

const now = () => performance.now();

/** Times `run` once cold, then up to `reps` times within `budgetMs` (at least once). */
async function timeBatch(batch: number, run: () => Promise<number[]>, reps: number, budgetMs: number): Promise<PageBatch> {
  const started = now();
  const logits = await run();
  const firstMs = now() - started;
  const times: number[] = [];
  const until = now() + budgetMs;
  await window.heedCpuMark?.(`${batch}:start`);
  while (times.length < reps && (times.length === 0 || now() < until)) {
    const begin = now();
    await run();
    times.push(now() - begin);
  }
  await window.heedCpuMark?.(`${batch}:end`);
  return { batch, firstMs, medianMs: times.length ? median(times) : NaN, runs: times.length, times, logits };
}

async function heed(request: PageRequest, result: PageResult): Promise<void> {
  const backend = request.backend ?? 'wasm';
  if (request.tfjsThreads === false) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  let started = now();
  const report = await initBackend({ backend, allowSoftwareGpu: true });
  if (request.threads !== undefined) setSimdThreads(request.threads);
  result.startMs = now() - started;
  const info = simdKernelsInfo();
  const threadsNow = request.threads !== undefined && info ? Math.min(request.threads, info.threads) : info?.threads;
  result.details =
    backend === 'wasm'
      ? `tfjs wasm (SIMD ${report.simd ? 'on' : 'off'}, tfjs threads ${report.threads ? 'on' : 'off'}); heed kernels ${info ? `${info.build} SIMD, ${threadsNow} of ${info.threads} threads` : 'not loaded'}${info?.notes.length ? ` (${info.notes.join('; ')})` : ''}`
      : `tfjs ${backend}${report.adapter ? ` on ${report.adapter.description || report.adapter.device || report.adapter.vendor}${report.adapter.isSoftware ? ' (software)' : ''}` : ''}`;
  started = now();
  const model = await fromPretrained<BertForSequenceClassification>(new URL('/model', location.href).href);
  result.loadMs = now() - started;
  try {
    for (const batch of request.batches) {
      const input_ids = tf.tensor2d(benchIds(batch, model.config.vocab_size), [batch, SEQ], 'int32');
      const attention_mask = tf.ones([batch, SEQ], 'int32') as tf.Tensor2D;
      const token_type_ids = tf.zeros([batch, SEQ], 'int32') as tf.Tensor2D;
      const forward = () => tf.tidy(() => model.forward({ input_ids, attention_mask, token_type_ids }).logits!);
      const run = async () => {
        const before = tf.memory().numTensors;
        const logits = forward();
        const data = Array.from(await logits.data());
        logits.dispose();
        if (tf.memory().numTensors !== before) throw new Error(`leak: ${tf.memory().numTensors - before} tensors`);
        return data;
      };
      const timing = await timeBatch(batch, run, request.reps, request.budgetMs ?? Infinity);
      if (request.profile) {
        const profile = await tf.profile(async () => {
          const logits = forward();
          await logits.data();
          logits.dispose();
        });
        const totals = new Map<string, [number, number]>();
        for (const kernel of profile.kernels) {
          const entry = totals.get(kernel.name) ?? [0, 0];
          entry[0] += Number(await kernel.kernelTimeMs);
          entry[1] += 1;
          totals.set(kernel.name, entry);
        }
        timing.kernels = [...totals].map(([name, [ms, calls]]) => [name, ms, calls] as [string, number, number]).sort((a, b) => b[1] - a[1]);
      }
      result.batches.push(timing);
      tf.dispose([input_ids, attention_mask, token_type_ids]);
    }
    if (request.profile && info) result.poolCheck = poolCheck(info.threads, request.threads ?? info.threads);
  } finally {
    model.dispose();
  }
}

/** matMul 1024³ on 1 thread and on `poolThreads`, alternated 5 times (load on a shared machine drifts). */
function poolCheck(poolThreads: number, restore: number): PoolCheck[] {
  const size = 1024;
  const a = tf.randomUniform([size, size], -1, 1, 'float32', 1);
  const b = tf.randomUniform([size, size], -1, 1, 'float32', 2);
  const counts = [...new Set([1, poolThreads])];
  const times = new Map<number, number[]>(counts.map((threads) => [threads, []]));
  try {
    for (let round = 0; round < 6; round++) {
      for (const threads of counts) {
        setSimdThreads(threads);
        const begin = now();
        const product = tf.matMul(a, b);
        product.dataSync();
        product.dispose();
        if (round > 0) times.get(threads)!.push(now() - begin); // round 0 warms up
      }
    }
  } finally {
    setSimdThreads(restore);
    tf.dispose([a, b]);
  }
  return counts.map((threads) => {
    const medianMs = median(times.get(threads)!);
    return { threads, medianMs, gflops: (2 * size ** 3) / (medianMs * 1e6) };
  });
}

async function onnxruntimeWeb(request: PageRequest, result: PageResult): Promise<void> {
  let started = now();
  const ortUrl = new URL('/ort/ort.wasm.min.mjs', location.href).href;
  const ort = (await import(/* @vite-ignore */ ortUrl)) as OrtWeb;
  ort.env.wasm.wasmPaths = new URL('/ort/', location.href).href;
  if (request.threads !== undefined) ort.env.wasm.numThreads = request.threads;
  result.startMs = now() - started;
  started = now();
  const bytes = new Uint8Array(await (await fetch('/model/model.onnx')).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  result.loadMs = now() - started;
  result.details = `onnxruntime-web ${ort.env.versions?.web ?? '?'} (wasm EP, SIMD, env.wasm.numThreads ${ort.env.wasm.numThreads ?? 'default'})`;
  const { vocab_size: vocab } = (await (await fetch('/model/config.json')).json()) as { vocab_size: number };
  try {
    for (const batch of request.batches) {
      const flat = benchIds(batch, vocab).flat();
      const feeds = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(flat, BigInt), [batch, SEQ]),
        attention_mask: new ort.Tensor('int64', new BigInt64Array(batch * SEQ).fill(1n), [batch, SEQ]),
        token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch * SEQ), [batch, SEQ]),
      };
      const run = async () => Array.from((await session.run(feeds)).logits!.data as Float32Array);
      result.batches.push(await timeBatch(batch, run, request.reps, request.budgetMs ?? Infinity));
    }
  } finally {
    await session.release();
  }
}

window.hfBertBench = async (request) => {
  const result: PageResult = { engine: request.engine, details: '', crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, startMs: 0, loadMs: 0, batches: [] };
  try {
    await (request.engine === 'heed' ? heed(request, result) : onnxruntimeWeb(request, result));
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
  }
  return result;
};
