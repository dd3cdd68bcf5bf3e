// The work timed on every backend for the backends guide's trade-offs section. Browser-safe: the
// same module runs in Node (cpu, wasm) and, bundled, in headless Chromium (webgpu, webgl, wasm),
// so every backend times exactly the same code. Each backend runs in a fresh process or page, so
// "start" and "first run" are cold (kernel compilation, shader compilation, wasm instantiation).
import * as tf from '@tensorflow/tfjs';
import { fusedAttention, initBackend, type BackendName } from '@heed/backends';
import { TransformerEncoderBlock } from '@heed/attention';
import { Seq2Seq } from '@heed/models';

/** One timed piece of work on one backend. */
export interface OpTiming {
  /** Stable id, e.g. `matmul`. */
  id: string;
  /** What it is, for the table. */
  work: string;
  /** Wall time of the first run in this fresh process/page (compilation included), ms. */
  firstMs: number;
  /** Median of the following runs, ms. */
  medianMs: number;
  runs: number;
}

/** Everything measured on one backend. */
export interface BackendRun {
  backend: string;
  /** What `initBackend` reported (simd, threads, adapter). */
  details: string;
  /** `initBackend({ backend })` wall time, ms (wasm: instantiating the binary; webgpu: device). */
  startMs: number;
  /** Loading the shipped G2P model (`Seq2Seq.load`: fetch/read + weight upload), ms. */
  loadMs: number;
  ops: OpTiming[];
  /** Present when the backend could not run; the other fields are then zero. */
  error?: string;
}

const now = () => performance.now();

/** Times `run` once cold, then until `runs` runs or `budgetMs` have passed (at least 3). */
async function time(id: string, work: string, run: () => Promise<void>, runs: number, budgetMs: number): Promise<OpTiming> {
  const started = now();
  await run();
  const firstMs = now() - started;
  const times: number[] = [];
  const until = now() + budgetMs;
  while (times.length < runs && (times.length < 3 || now() < until)) {
    const begin = now();
    await run();
    times.push(now() - begin);
  }
  times.sort((a, b) => a - b);
  const middle = times.length >> 1;
  const medianMs = times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
  return { id, work, firstMs, medianMs, runs: times.length };
}

/** Fixed pseudo-random values (mulberry32), the same on every backend. */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let state = seed >>> 0;
  for (let index = 0; index < count; index++) {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[index] = ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  }
  return out;
}

/** Sizes of the timed work, small enough for the plain-JavaScript cpu backend. */
export const SIZES = {
  matmul: 512,
  attention: { batch: 1, heads: 4, time: 256, depth: 64 },
  encoder: { batch: 1, time: 128, dim: 256, heads: 4, intermediate: 1024 },
  roundTrip: 1 << 20,
} as const;

/**
 * Starts `backend` and times: a matMul, fused attention forward, a Transformer encoder block
 * forward, an upload→add→download round trip, loading the shipped G2P model and one prediction
 * with it. Every timed run ends by reading its result (`await data()`), as an application would,
 * so GPU backends pay their download in every figure.
 */
export async function runBackend(backend: BackendName, modelSource: string, options: { runs?: number; budgetMs?: number } = {}): Promise<BackendRun> {
  const runs = options.runs ?? 15;
  const budgetMs = options.budgetMs ?? 4000;
  const startBegin = now();
  let details: string;
  try {
    const report = await initBackend({ backend });
    details = [
      report.name === 'wasm' ? `SIMD ${report.simd ? 'on' : 'off'}, threads ${report.threads ? 'on' : 'off'}` : '',
      report.adapter ? `adapter ${[report.adapter.vendor, report.adapter.architecture, report.adapter.description].filter(Boolean).join(' ')}${report.adapter.isSoftware ? ' (software)' : ''}` : '',
    ]
      .filter(Boolean)
      .join(', ');
  } catch (error) {
    return { backend, details: '', startMs: 0, loadMs: 0, ops: [], error: (error as Error).message };
  }
  const startMs = now() - startBegin;
  const ops: OpTiming[] = [];

  const n = SIZES.matmul;
  const a = tf.tensor2d(values(n * n, 1), [n, n]);
  const b = tf.tensor2d(values(n * n, 2), [n, n]);
  ops.push(await time('matmul', `matMul ${n}×${n}×${n}`, async () => {
    const product = tf.matMul(a, b);
    await product.data();
    product.dispose();
  }, runs, budgetMs));
  tf.dispose([a, b]);

  const { batch, heads, time: steps, depth } = SIZES.attention;
  const shape = [batch, heads, steps, depth] as [number, number, number, number];
  const size = batch * heads * steps * depth;
  const [query, key, value] = [3, 4, 5].map((seed) => tf.tensor4d(values(size, seed), shape));
  ops.push(await time('attention', `fusedAttention fwd (${shape.join(', ')}), causal`, async () => {
    const context = fusedAttention(query!, key!, value!, { causal: true });
    await context.data();
    context.dispose();
  }, runs, budgetMs));
  tf.dispose([query!, key!, value!]);

  const encoder = SIZES.encoder;
  const block = new TransformerEncoderBlock({ numHeads: encoder.heads, intermediateDim: encoder.intermediate, normalizeFirst: true });
  const tokens = tf.tensor3d(values(encoder.batch * encoder.time * encoder.dim, 6), [encoder.batch, encoder.time, encoder.dim]);
  ops.push(await time('encoder', `TransformerEncoderBlock fwd (${encoder.batch}, ${encoder.time}, ${encoder.dim}), ${encoder.heads} heads, FF ${encoder.intermediate}`, async () => {
    const output = block.apply(tokens) as tf.Tensor;
    await output.data();
    output.dispose();
  }, runs, budgetMs));
  tokens.dispose();
  block.dispose();

  const host = values(SIZES.roundTrip, 7);
  ops.push(await time('roundtrip', `upload, add 1, download (${SIZES.roundTrip.toLocaleString('en')} floats)`, async () => {
    const uploaded = tf.tensor1d(host);
    const shifted = tf.add(uploaded, 1);
    await shifted.data();
    tf.dispose([uploaded, shifted]);
  }, runs, budgetMs));

  const loadBegin = now();
  const model = await Seq2Seq.load(modelSource);
  const loadMs = now() - loadBegin;
  const vocabularies = model.vocabularies!;
  const word = vocabularies.source.encode('attention').ids;
  ops.push(await time('g2p', 'G2P model: greedy pronunciation of one word', async () => {
    await model.generate([word], { maxLength: 20 });
  }, Math.min(runs, 7), budgetMs));
  model.dispose();

  return { backend, details, startMs, loadMs, ops };
}
