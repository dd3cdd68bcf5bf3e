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
import { ortGreedyGenerate, type OrtModule } from '../ort-gpt2-greedy';

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

/** The part of onnxruntime-web's module this page uses. */
interface OrtWeb extends OrtModule {
  env: { versions?: Record<string, string>; wasm: { numThreads?: number; wasmPaths?: string } };
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
  // the greedy loop of the Node bench: the prompt first, then one token a step, presents fed back as pasts
  const generate = () => ortGreedyGenerate(ort, session, config, request.prompt, request.newTokens);
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
