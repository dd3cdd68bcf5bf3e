// Fused attention forward, WebAssembly SIMD. Per query row: scaled scores of its visible keys into
// one O(S) row buffer (4 keys per pass sharing the query loads), vectorized exp, then
// output = Σ_j p_j·V_j / Σ_j p_j (4 value rows per pass) and the row's log-sum-exp.
// Layouts: query/output (batch, heads, T, D); key/value (batch, heads, S, D); logSumExp
// (batch, heads, T); mask rank 4 indexed through the given (broadcast, 0 = repeat) strides.
import { expF32x4 } from './vector-exp';
import { dot, horizontalSum, zero } from './vector-ops';

// @ts-ignore: decorator
@inline
export function scoresOfRow(queryRow: usize, keys: usize, scores: usize, first: i32, last: i32, depth: i32, scale: f32): void {
  const rowBytes = <usize>depth << 2;
  let j = first;
  for (; j + 3 <= last; j += 4) {
    const key0 = keys + <usize>j * rowBytes;
    const key1 = key0 + rowBytes;
    const key2 = key1 + rowBytes;
    const key3 = key2 + rowBytes;
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    let acc2 = f32x4.splat(0);
    let acc3 = f32x4.splat(0);
    let d = 0;
    for (; d + 4 <= depth; d += 4) {
      const offset = <usize>d << 2;
      const q = v128.load(queryRow + offset);
      acc0 = f32x4.add(acc0, f32x4.mul(q, v128.load(key0 + offset)));
      acc1 = f32x4.add(acc1, f32x4.mul(q, v128.load(key1 + offset)));
      acc2 = f32x4.add(acc2, f32x4.mul(q, v128.load(key2 + offset)));
      acc3 = f32x4.add(acc3, f32x4.mul(q, v128.load(key3 + offset)));
    }
    let s0 = horizontalSum(acc0);
    let s1 = horizontalSum(acc1);
    let s2 = horizontalSum(acc2);
    let s3 = horizontalSum(acc3);
    for (; d < depth; d++) {
      const offset = <usize>d << 2;
      const q = load<f32>(queryRow + offset);
      s0 += q * load<f32>(key0 + offset);
      s1 += q * load<f32>(key1 + offset);
      s2 += q * load<f32>(key2 + offset);
      s3 += q * load<f32>(key3 + offset);
    }
    const at = scores + (<usize>j << 2);
    store<f32>(at, s0 * scale);
    store<f32>(at, s1 * scale, 4);
    store<f32>(at, s2 * scale, 8);
    store<f32>(at, s3 * scale, 12);
  }
  for (; j <= last; j++) store<f32>(scores + (<usize>j << 2), dot(queryRow, keys + <usize>j * rowBytes, depth) * scale);
}

/** p_j = exp(s_j − max) in place over [first, last]; returns Σ p_j. */
// @ts-ignore: decorator
@inline
export function exponentiateRow(scores: usize, first: i32, last: i32, shift: f32): f32 {
  const shifts = f32x4.splat(shift);
  let sums = f32x4.splat(0);
  let j = first;
  for (; j + 3 <= last; j += 4) {
    const at = scores + (<usize>j << 2);
    const weights = expF32x4(f32x4.sub(v128.load(at), shifts));
    v128.store(at, weights);
    sums = f32x4.add(sums, weights);
  }
  let sum = horizontalSum(sums);
  for (; j <= last; j++) {
    const at = scores + (<usize>j << 2);
    const weight = f32x4.extract_lane(expF32x4(f32x4.splat(load<f32>(at) - shift)), 0);
    store<f32>(at, weight);
    sum += weight;
  }
  return sum;
}

// @ts-ignore: decorator
@inline
function accumulateValues(outputRow: usize, values: usize, weights: usize, first: i32, last: i32, depth: i32): void {
  const rowBytes = <usize>depth << 2;
  zero(outputRow, depth);
  let j = first;
  for (; j + 3 <= last; j += 4) {
    const at = weights + (<usize>j << 2);
    const w0 = load<f32>(at);
    const w1 = load<f32>(at, 4);
    const w2 = load<f32>(at, 8);
    const w3 = load<f32>(at, 12);
    const value0 = values + <usize>j * rowBytes;
    const value1 = value0 + rowBytes;
    const value2 = value1 + rowBytes;
    const value3 = value2 + rowBytes;
    const p0 = f32x4.splat(w0);
    const p1 = f32x4.splat(w1);
    const p2 = f32x4.splat(w2);
    const p3 = f32x4.splat(w3);
    let d = 0;
    for (; d + 4 <= depth; d += 4) {
      const offset = <usize>d << 2;
      let acc = v128.load(outputRow + offset);
      acc = f32x4.add(acc, f32x4.mul(p0, v128.load(value0 + offset)));
      acc = f32x4.add(acc, f32x4.mul(p1, v128.load(value1 + offset)));
      acc = f32x4.add(acc, f32x4.mul(p2, v128.load(value2 + offset)));
      acc = f32x4.add(acc, f32x4.mul(p3, v128.load(value3 + offset)));
      v128.store(outputRow + offset, acc);
    }
    for (; d < depth; d++) {
      const offset = <usize>d << 2;
      store<f32>(
        outputRow + offset,
        load<f32>(outputRow + offset) +
          w0 * load<f32>(value0 + offset) +
          w1 * load<f32>(value1 + offset) +
          w2 * load<f32>(value2 + offset) +
          w3 * load<f32>(value3 + offset),
      );
    }
  }
  for (; j <= last; j++) {
    const weight = load<f32>(weights + (<usize>j << 2));
    const value = values + <usize>j * rowBytes;
    for (let d = 0; d < depth; d++) {
      const offset = <usize>d << 2;
      store<f32>(outputRow + offset, load<f32>(outputRow + offset) + weight * load<f32>(value + offset));
    }
  }
}

/** Sets masked scores in [first, last] to −Infinity; returns the max score (−Infinity if none). */
// @ts-ignore: decorator
@inline
export function maskRow(scores: usize, mask: usize, maskRowOffset: i32, maskStrideKey: i32, allVisible: bool, first: i32, last: i32): f32 {
  let max: f32 = -Infinity;
  for (let j = first; j <= last; j++) {
    const at = scores + (<usize>j << 2);
    if (!allVisible && load<f32>(mask + (<usize>(maskRowOffset + j * maskStrideKey) << 2)) == 0) {
      store<f32>(at, -Infinity);
      continue;
    }
    max = Mathf.max(max, load<f32>(at));
  }
  return max;
}

export function attentionForward(
  query: usize, key: usize, value: usize, mask: usize, output: usize, logSumExp: usize, scores: usize,
  batch: i32, heads: i32, queryLength: i32, keyLength: i32, depth: i32,
  scale: f32, causal: i32, window: i32,
  maskStrideBatch: i32, maskStrideHeads: i32, maskStrideQuery: i32, maskStrideKey: i32, allVisible: i32,
): void {
  const rowBytes = <usize>depth << 2;
  for (let b = 0; b < batch; b++)
    for (let h = 0; h < heads; h++) {
      const slice = b * heads + h;
      const keys = key + <usize>slice * <usize>keyLength * rowBytes;
      const values = value + <usize>slice * <usize>keyLength * rowBytes;
      for (let i = 0; i < queryLength; i++) {
        const row = slice * queryLength + i;
        const queryRow = query + <usize>row * rowBytes;
        const outputRow = output + <usize>row * rowBytes;
        let first = 0;
        let last = keyLength - 1;
        if (causal) last = min(last, i);
        if (window >= 0) {
          first = max(first, i - window);
          last = min(last, i + window);
        }
        let maxScore: f32 = -Infinity;
        if (first <= last) {
          scoresOfRow(queryRow, keys, scores, first, last, depth, scale);
          const maskRowOffset = b * maskStrideBatch + h * maskStrideHeads + i * maskStrideQuery;
          maxScore = maskRow(scores, mask, maskRowOffset, maskStrideKey, allVisible != 0, first, last);
        }
        if (maxScore == -Infinity) {
          zero(outputRow, depth); // fully masked row
          store<f32>(logSumExp + (<usize>row << 2), -Infinity);
          continue;
        }
        const sum = exponentiateRow(scores, first, last, maxScore);
        accumulateValues(outputRow, values, scores, first, last, depth);
        const inverse = f32x4.splat(<f32>1 / sum);
        let d = 0;
        for (; d + 4 <= depth; d += 4) {
          const at = outputRow + (<usize>d << 2);
          v128.store(at, f32x4.mul(v128.load(at), inverse));
        }
        for (; d < depth; d++) {
          const at = outputRow + (<usize>d << 2);
          store<f32>(at, load<f32>(at) / sum);
        }
        store<f32>(logSumExp + (<usize>row << 2), maxScore + Mathf.log(sum));
      }
    }
}
