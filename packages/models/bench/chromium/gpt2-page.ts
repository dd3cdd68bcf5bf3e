/**
 * The page of gpt2-chromium.ts (bundled by it with tsup for the browser; never a test): times one
 * engine's greedy GPT-2 generation in headless Chromium. The runner opens a fresh page per engine
 * and calls `window.gpt2Bench(request)`; the checkpoint is served at `/model/` (config.json,
 * model.safetensors, model.onnx with past key/values), heed's kernel modules at `/wasm/`,
 * onnxruntime-web's dist at `/ort/`, all with COOP/COEP so the page is cross-origin isolated and
 * both engines may use threads.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend, setSimdThreads, simdKernelsInfo } from '@heed/backends';
import { fromPretrained } from '../../src/hf/from-pretrained';
import { gpt2Generate } from '../../src/gpt2/gpt2-generate';
import type { GPT2LMHeadModel } from '../../src/gpt2/gpt2-lm-head-model';

/** What the runner asks one page to time. */
export interface Gpt2PageRequest {
  engine: 'heed' | 'onnxruntime-web';
  /** heed: `setSimdThreads(n)` after start; onnxruntime-web: `env.wasm.numThreads`. */
  threads: number;
  prompt: number[];
  newTokens: number;
  /** Timed generations per mode after the first (untimed-for-the-median) one. */
  reps: number;
}

/** One way of generating: heed with or without its cache, or onnxruntime-web's loop over past key/values. */
export interface Gpt2PageMode {
  mode: 'heed-cache' | 'heed-no-cache' | 'onnxruntime-web';
  /** The first generation in this page (kernel set-up, JIT, allocations), ms. */
  firstMs: number;
  /** Every timed generation after the first, ms. */
  times: number[];
  /** Prompt ids then the new ones, from the first generation; every timed one is checked to give the same. */
  ids: number[];
}

/** Everything one page measured. */
export interface Gpt2PageResult {
  engine: string;
  details: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** Engine start (heed: initBackend; onnxruntime-web: importing its module), ms. */
  startMs: number;
  /** Weights into the engine (heed: fromPretrained over HTTP; onnxruntime-web: fetch + InferenceSession.create), ms. */
  loadMs: number;
  modes: Gpt2PageMode[];
  error?: string;
}

interface OrtTensor { data: unknown; dims: readonly number[] }
/** The part of onnxruntime-web's module this page uses. */
interface OrtWeb {
  env: { versions?: Record<string, string>; wasm: { numThreads?: number; wasmPaths?: string } };
  Tensor: new (type: 'int64' | 'float32', data: BigInt64Array | Float32Array, dims: number[]) => OrtTensor;
  InferenceSession: {
    create(model: Uint8Array, options: object): Promise<{ run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>; release(): Promise<void> }>;
  };
}

declare global {
  interface Window {
    gpt2Bench: (request: Gpt2PageRequest) => Promise<Gpt2PageResult>;
    /** Set by the runner (page.exposeFunction): snapshots the renderer's per-thread CPU time under `label`. */
    heedCpuMark?: (label: string) => Promise<void>;
  }
}

const now = () => performance.now();

/** Generates once cold, then `reps` timed times between CPU marks `<mode>:start` / `<mode>:end`. */
async function timeMode(mode: Gpt2PageMode['mode'], generate: () => Promise<number[]>, reps: number): Promise<Gpt2PageMode> {
  const started = now();
  const ids = await generate();
  const firstMs = now() - started;
  const times: number[] = [];
  await window.heedCpuMark?.(`${mode}:start`);
  for (let rep = 0; rep < reps; rep++) {
    const begin = now();
    const again = await generate();
    times.push(now() - begin);
    if (again.join() !== ids.join()) throw new Error(`${mode}: timed generation ${rep + 1} gave other ids than the first`);
  }
  await window.heedCpuMark?.(`${mode}:end`);
  return { mode, firstMs, times, ids };
}

async function heed(request: Gpt2PageRequest, result: Gpt2PageResult): Promise<void> {
  let started = now();
  const report = await initBackend({ backend: 'wasm' });
  setSimdThreads(request.threads);
  result.startMs = now() - started;
  const info = simdKernelsInfo();
  result.details = `tfjs wasm (SIMD ${report.simd ? 'on' : 'off'}, tfjs threads ${report.threads ? 'on' : 'off'}); heed kernels ${info ? `${info.build} SIMD, ${Math.min(request.threads, info.threads)} of ${info.threads} threads` : 'not loaded'}${info?.notes.length ? ` (${info.notes.join('; ')})` : ''}`;
  started = now();
  const model = await fromPretrained<GPT2LMHeadModel>(new URL('/model', location.href).href, { onWarning: () => undefined });
  result.loadMs = now() - started;
  try {
    for (const [mode, useCache] of [['heed-cache', true], ['heed-no-cache', false]] as const) {
      const generate = async () => {
        const before = tf.memory().numTensors;
        const [row] = await gpt2Generate(model, [request.prompt], { maxNewTokens: request.newTokens, stopTokens: [], useCache });
        if (tf.memory().numTensors !== before) throw new Error(`${mode}: leaked ${tf.memory().numTensors - before} tensors`);
        return row!.ids;
      };
      result.modes.push(await timeMode(mode, generate, request.reps));
    }
  } finally {
    model.dispose();
  }
}

const argmax = (values: Float32Array, offset: number, size: number) => {
  let best = 0;
  for (let k = 1; k < size; k++) if (values[offset + k]! > values[offset + best]!) best = k;
  return best;
};

async function onnxruntimeWeb(request: Gpt2PageRequest, result: Gpt2PageResult): Promise<void> {
  let started = now();
  const ort = (await import(/* @vite-ignore */ new URL('/ort/ort.wasm.min.mjs', location.href).href)) as OrtWeb;
  ort.env.wasm.wasmPaths = new URL('/ort/', location.href).href;
  ort.env.wasm.numThreads = request.threads;
  result.startMs = now() - started;
  const config = (await (await fetch('/model/config.json')).json()) as { n_layer: number; n_head: number; n_embd: number; vocab_size: number };
  started = now();
  const bytes = new Uint8Array(await (await fetch('/model/model.onnx')).arrayBuffer());
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
  result.loadMs = now() - started;
  result.details = `onnxruntime-web ${ort.env.versions?.web ?? '?'} (wasm EP, SIMD, env.wasm.numThreads ${ort.env.wasm.numThreads ?? 'default'})`;
  const headDim = config.n_embd / config.n_head;
  // the greedy loop of the Node bench: the prompt first, then one token a step, presents fed back as pasts
  const generate = async () => {
    const ids = [...request.prompt];
    let past: OrtTensor[] = Array.from({ length: 2 * config.n_layer }, () => new ort.Tensor('float32', new Float32Array(0), [1, config.n_head, 0, headDim]));
    let fed = request.prompt;
    let start = 0;
    for (let step = 0; step < request.newTokens; step++) {
      const feeds: Record<string, OrtTensor> = {
        input_ids: new ort.Tensor('int64', BigInt64Array.from(fed, BigInt), [1, fed.length]),
        position_ids: new ort.Tensor('int64', BigInt64Array.from(fed, (_, i) => BigInt(start + i)), [1, fed.length]),
      };
      for (let i = 0; i < config.n_layer; i++) {
        feeds[`past_${i}_key`] = past[2 * i]!;
        feeds[`past_${i}_value`] = past[2 * i + 1]!;
      }
      const out = await session.run(feeds);
      const token = argmax(out.logits!.data as Float32Array, (fed.length - 1) * config.vocab_size, config.vocab_size);
      past = Array.from({ length: config.n_layer }, (_, i) => [out[`present_${i}_key`]!, out[`present_${i}_value`]!]).flat();
      start += fed.length;
      fed = [token];
      ids.push(token);
    }
    return ids;
  };
  try {
    result.modes.push(await timeMode('onnxruntime-web', generate, request.reps));
  } finally {
    await session.release();
  }
}

window.gpt2Bench = async (request) => {
  const result: Gpt2PageResult = { engine: request.engine, details: '', crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency, startMs: 0, loadMs: 0, modes: [] };
  try {
    await (request.engine === 'heed' ? heed(request, result) : onnxruntimeWeb(request, result));
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
  }
  return result;
};
