/**
 * One fused attention problem as flat float32 arrays in row-major order: the shared input of
 * every attention kernel core (JS reference and WebAssembly SIMD).
 */
export interface AttentionProblem {
  batch: number;
  heads: number;
  /** Query length T. */
  queryLength: number;
  /** Key/value length S. */
  keyLength: number;
  /** Head depth D. */
  depth: number;
  scale: number;
  causal: boolean;
  /** Band radius, −1 for none. */
  window: number;
  /** (batch, heads, T, D) */
  query: Float32Array;
  /** (batch, heads, S, D) */
  key: Float32Array;
  /** (batch, heads, S, D) */
  value: Float32Array;
  /** Rank-4 mask values, 1 = may attend; `maskShape` is broadcastable to (batch, heads, T, S). */
  mask: Float32Array;
  maskShape: readonly [number, number, number, number];
}

/** Element strides of a broadcast rank-4 mask (0 along broadcast axes). */
export interface MaskStrides {
  batch: number;
  heads: number;
  query: number;
  key: number;
  /** True when the mask is a single 1 (no masking beyond causal/window). */
  allVisible: boolean;
}

/** @returns the strides that index `problem.mask` as if it were (batch, heads, T, S). */
export function maskStrides(problem: AttentionProblem): MaskStrides {
  const [maskBatch, maskHeads, maskQuery, maskKey] = problem.maskShape;
  const keyStride = maskKey === 1 ? 0 : 1;
  const queryStride = maskQuery === 1 ? 0 : maskKey;
  const headStride = maskHeads === 1 ? 0 : maskQuery * maskKey;
  const batchStride = maskBatch === 1 ? 0 : maskHeads * maskQuery * maskKey;
  const allVisible = problem.mask.length === 1 && problem.mask[0] !== 0;
  return { batch: batchStride, heads: headStride, query: queryStride, key: keyStride, allVisible };
}

/** @returns [first, last] key index that causal/window let query `row` see (first > last: none). */
export function visibleKeys(problem: AttentionProblem, row: number): [number, number] {
  let first = 0;
  let last = problem.keyLength - 1;
  if (problem.causal) last = Math.min(last, row);
  if (problem.window >= 0) {
    first = Math.max(first, row - problem.window);
    last = Math.min(last, row + problem.window);
  }
  return [first, last];
}
