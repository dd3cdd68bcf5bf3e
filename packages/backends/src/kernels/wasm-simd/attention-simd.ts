import type { AttentionBackwardInputs, AttentionGradients } from '../../fused/attention-backward-js';
import type { AttentionForwardResult } from '../../fused/attention-forward-js';
import type { AttentionCores } from '../../fused/attention-kernel-funcs';
import { maskStrides, type AttentionProblem } from '../../fused/attention-problem';
import { simdHeap } from './load-simd-kernels';
import type { SimdHeap } from './simd-heap';

let enabled = true;

/**
 * Turns the SIMD attention cores on or off (default on); off, the wasm kernels run the JavaScript
 * reference cores. For parity tests and benchmarks.
 *
 * @example
 * ```ts
 * setSimdAttentionEnabled(false); // wasm fused attention now runs the JavaScript core
 * ```
 */
export function setSimdAttentionEnabled(on: boolean): void {
  enabled = on;
}

/** Copies the problem's inputs into the module; returns their offsets and the trailing arguments. */
function layOut(heap: SimdHeap, problem: AttentionProblem) {
  const { batch, heads, queryLength, keyLength, depth, scale, causal, window } = problem;
  const strides = maskStrides(problem);
  const offsets = {
    query: heap.copyIn(problem.query),
    key: heap.copyIn(problem.key),
    value: heap.copyIn(problem.value),
    mask: heap.copyIn(problem.mask),
  };
  const shapeAndOptions = [
    batch, heads, queryLength, keyLength, depth, scale, causal ? 1 : 0, window,
    strides.batch, strides.heads, strides.query, strides.key, strides.allVisible ? 1 : 0,
  ];
  return { offsets, shapeAndOptions };
}

/**
 * Runs `name` over all (batch, head) slices. With a pool, every thread (each with its own scratch)
 * claims slices one at a time from a shared counter in the module's memory, so a thread the OS
 * deschedules delays only the slice it is on (a static split made the others wait for its whole
 * share); without one, one call claims them all.
 */
function runSlices(heap: SimdHeap, name: 'attentionForward' | 'attentionBackward', slices: number, work: number, scratchFloats: number, args: (scratch: number) => number[]): void {
  const threads = work < heap.minThreadedWork ? 1 : Math.min(heap.activeThreads, slices);
  const counter = heap.reserve(4);
  const scratches = Array.from({ length: heap.pool && threads > 1 ? heap.pool.threads : 1 }, (_, index) => (index < threads ? heap.reserve(scratchFloats) : 0));
  new Int32Array(heap.exports.memory.buffer, counter, 1)[0] = 0; // after the reserves: they may grow the memory
  if (!heap.pool || threads < 2) {
    heap.exports[name](...args(scratches[0] as number), counter);
    return;
  }
  // threads beyond `threads` get no scratch and return at once
  heap.pool.run(name, scratches.map((scratch) => [...args(scratch), counter]));
}

/** Whether any of the module's float arrays ([offset, count]) holds a NaN (SIMD scan). */
function anyNaN(heap: SimdHeap, arrays: Array<[number, number]>): boolean {
  return arrays.some(([offset, count]) => heap.exports.hasNaN(offset, count) !== 0);
}

/** Multiply-adds of one forward pass: Q·Kᵀ and P·V over every (batch, head) slice. */
const attentionWork = (problem: AttentionProblem) => 2 * problem.batch * problem.heads * problem.queryLength * problem.keyLength * problem.depth;

function forward(heap: SimdHeap, problem: AttentionProblem, views: boolean): AttentionForwardResult {
  heap.reset();
  const { offsets, shapeAndOptions } = layOut(heap, problem);
  const rows = problem.batch * problem.heads * problem.queryLength;
  const output = heap.reserve(rows * problem.depth);
  const logSumExp = heap.reserve(rows);
  const scratchFloats = heap.exports.forwardScratchFloats(problem.keyLength, problem.depth);
  runSlices(heap, 'attentionForward', problem.batch * problem.heads, attentionWork(problem), scratchFloats, (scratch) => [
    offsets.query, offsets.key, offsets.value, offsets.mask, output, logSumExp, scratch, ...shapeAndOptions,
  ]);
  const finiteInputs = !anyNaN(heap, [[offsets.query, problem.query.length], [offsets.key, problem.key.length], [offsets.value, problem.value.length]]);
  const [outputValues, logSumExpValues] = [heap.view(output, rows * problem.depth), heap.view(logSumExp, rows)];
  return views ? { output: outputValues, logSumExp: logSumExpValues, finiteInputs } : { output: outputValues.slice(), logSumExp: logSumExpValues.slice(), finiteInputs };
}

function backward(heap: SimdHeap, problem: AttentionProblem, inputs: AttentionBackwardInputs, views: boolean): AttentionGradients {
  heap.reset();
  const { offsets, shapeAndOptions } = layOut(heap, problem);
  const output = heap.copyIn(inputs.output);
  const logSumExp = heap.copyIn(inputs.logSumExp);
  const dOutput = heap.copyIn(inputs.dOutput);
  const sizes = { query: problem.query.length, key: problem.key.length };
  const dQuery = heap.reserve(sizes.query);
  const dKey = heap.reserve(sizes.key);
  const dValue = heap.reserve(sizes.key);
  heap.view(dQuery, sizes.query).fill(0);
  const scratchFloats = heap.exports.backwardScratchFloats(problem.keyLength, problem.depth);
  runSlices(heap, 'attentionBackward', problem.batch * problem.heads, 2 * attentionWork(problem), scratchFloats, (scratch) => [
    offsets.query, offsets.key, offsets.value, offsets.mask, output, logSumExp, dOutput,
    dQuery, dKey, dValue, scratch, ...shapeAndOptions,
  ]);
  const finiteInputs = !anyNaN(heap, [[offsets.query, sizes.query], [offsets.key, sizes.key], [offsets.value, sizes.key], [dOutput, inputs.dOutput.length]]);
  const gradients = { dQuery: heap.view(dQuery, sizes.query), dKey: heap.view(dKey, sizes.key), dValue: heap.view(dValue, sizes.key) };
  if (views) return { finiteInputs, ...gradients };
  return { finiteInputs, dQuery: gradients.dQuery.slice(), dKey: gradients.dKey.slice(), dValue: gradients.dValue.slice() };
}

/**
 * Sets how many threads heed's SIMD kernels use per call (1 to the pool size, which is the
 * number of cores up to 4 in Node, or HEED_SIMD_THREADS; browsers always run 1). Returns the
 * number now in use.
 *
 * @example
 * ```ts
 * setSimdThreads(1); // single-threaded, e.g. on an oversubscribed machine
 * ```
 */
export function setSimdThreads(threads: number): number {
  const heap = simdHeap();
  if (!heap) return 1;
  heap.activeThreads = Math.max(1, Math.min(Math.floor(threads), heap.pool?.threads ?? 1));
  return heap.activeThreads;
}

/**
 * @returns the WebAssembly SIMD attention cores once loaded (and enabled), else undefined. Their
 * results are copies, unless `views`: then they are views into the module's memory, valid only
 * until the next SIMD kernel call (for kernels that copy them into tensors at once, which saves a
 * copy of every output).
 */
export function attentionSimdCores(options: { views?: boolean } = {}): AttentionCores | undefined {
  const heap = simdHeap();
  if (!heap || !enabled) return undefined;
  const views = options.views ?? false;
  return { forward: (problem) => forward(heap, problem, views), backward: (problem, inputs) => backward(heap, problem, inputs, views) };
}
