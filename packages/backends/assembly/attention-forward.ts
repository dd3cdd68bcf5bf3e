// Fused attention forward, WebAssembly SIMD, tiled. Per (batch, head): Kᵀ and V are packed
// (zero-padded to multiples of 8) into O(S·D) scratch; then per block of 4 query rows the scaled
// scores of the keys any of them may see go into a 4 × S buffer (4×8 register tiles), each row
// is masked and exponentiated (vectorized exp, saved log-sum-exp), and the 4 × D output is the
// normalized weights · V (4×8 tiles). No T×S buffer exists.
// Layouts: query/output (batch, heads, T, D); key/value (batch, heads, S, D); logSumExp
// (batch, heads, T); mask rank 4 read through broadcast strides (0 = repeat).
import { clearRange, exponentiate, firstVisible, lastVisible, maskScores } from './attention-rows';
import { dotTile, packPadded, packTransposed, roundUp8, ROWS, weightedSumTile } from './attention-tiles';
import { claim } from './work-queue';

/** Scratch floats attentionForward needs for key length S and depth D. */
export function forwardScratchFloats(keyLength: i32, depth: i32): i32 {
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  return depth * keys8 + keyLength * depth8 + ROWS * keys8 + 32 + 4;
}

/** Writes rows [i0, i0 + rows) of a tile (4 × 8 floats, columns d0..) scaled per row, d < depth. */
// @ts-ignore: decorator
@inline
export function storeTile(tile: usize, target: usize, rowBytes: usize, rows: i32, d0: i32, depth: i32, factors: usize): void {
  for (let r = 0; r < rows; r++) {
    const factor = load<f32>(factors + (<usize>r << 2));
    const from = tile + (<usize>(r * 8) << 2);
    const to = target + <usize>r * rowBytes + (<usize>d0 << 2);
    if (d0 + 8 <= depth) {
      const factors4 = f32x4.splat(factor);
      v128.store(to, f32x4.mul(v128.load(from), factors4));
      v128.store(to, f32x4.mul(v128.load(from, 16), factors4), 16);
    } else {
      for (let c = 0; c < depth - d0; c++) store<f32>(to + (<usize>c << 2), load<f32>(from + (<usize>c << 2)) * factor);
    }
  }
}

export function attentionForward(
  query: usize, key: usize, value: usize, mask: usize, output: usize, logSumExp: usize, scratch: usize,
  batch: i32, heads: i32, queryLength: i32, keyLength: i32, depth: i32,
  scale: f32, causal: i32, window: i32,
  maskStrideBatch: i32, maskStrideHeads: i32, maskStrideQuery: i32, maskStrideKey: i32, allVisible: i32,
  counter: usize,
): void {
  if (scratch == 0) return; // this thread sits out
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  const keysT = scratch; // (D, S8)
  const values = keysT + (<usize>(depth * keys8) << 2); // (S, D8)
  const weights = values + (<usize>(keyLength * depth8) << 2); // (4, S8)
  const tile = weights + (<usize>(ROWS * keys8) << 2); // (4, 8)
  const factors = tile + 128; // (4)
  const rowBytes = <usize>depth << 2;
  const weightRow = <usize>keys8 << 2;
  // (batch, head) slices claimed one at a time from `counter` (work-queue.ts): a thread the OS
  // deschedules holds up only the slice it is on, not a fixed share
  const slices = batch * heads;
  for (let slice = claim(counter); slice < slices; slice = claim(counter)) {
    const b = slice / heads;
    const h = slice % heads;
    packTransposed(key + <usize>slice * <usize>keyLength * rowBytes, keysT, keyLength, depth, keys8);
    // V as stored when its rows already are multiples of 8 long; else a padded copy
    const sliceValues = value + <usize>slice * <usize>keyLength * rowBytes;
    const valueRows = depth == depth8 ? sliceValues : values;
    if (depth != depth8) packPadded(sliceValues, values, keyLength, depth, depth8);
    for (let i0 = 0; i0 < queryLength; i0 += ROWS) {
      const rows = min(ROWS, queryLength - i0);
      const firstRow = slice * queryLength + i0;
      let lo = keyLength;
      let hi = -1;
      for (let r = 0; r < rows; r++) {
        const first = firstVisible(i0 + r, window);
        const last = lastVisible(i0 + r, keyLength, causal, window);
        if (first <= last) {
          lo = min(lo, first);
          hi = max(hi, last);
        }
      }
      if (hi < lo) {
        memory.fill(output + <usize>firstRow * rowBytes, 0, <usize>rows * rowBytes);
        for (let r = 0; r < rows; r++) store<f32>(logSumExp + (<usize>(firstRow + r) << 2), -Infinity);
        continue;
      }
      const jStart = lo & ~7;
      const jEnd = min(keys8, roundUp8(hi + 1));
      const queryRows = query + <usize>firstRow * rowBytes;
      const last = <usize>(rows - 1) * rowBytes;
      const q1 = queryRows + min<usize>(rowBytes, last);
      const q2 = queryRows + min<usize>(2 * rowBytes, last);
      const q3 = queryRows + min<usize>(3 * rowBytes, last);
      for (let j0 = jStart; j0 < jEnd; j0 += 8) dotTile(queryRows, q1, q2, q3, keysT, keys8, j0, depth, weights, keys8, scale);
      for (let r = 0; r < ROWS; r++) {
        const row = weights + <usize>r * weightRow;
        store<f32>(factors + (<usize>r << 2), 0);
        if (r >= rows) {
          clearRange(row, jStart, jEnd);
          continue;
        }
        const i = i0 + r;
        const maskRowOffset = b * maskStrideBatch + h * maskStrideHeads + i * maskStrideQuery;
        const best = maskScores(row, jStart, jEnd, firstVisible(i, window), lastVisible(i, keyLength, causal, window), mask, maskRowOffset, maskStrideKey, allVisible != 0);
        if (best == -Infinity) {
          clearRange(row, jStart, jEnd); // fully masked row: zero output
          store<f32>(logSumExp + (<usize>(firstRow + r) << 2), -Infinity);
          continue;
        }
        const sum = exponentiate(row, jStart, jEnd, best);
        store<f32>(factors + (<usize>r << 2), <f32>1 / sum);
        store<f32>(logSumExp + (<usize>(firstRow + r) << 2), best + Mathf.log(sum));
      }
      const outputRows = output + <usize>firstRow * rowBytes;
      for (let d0 = 0; d0 < depth8; d0 += 8) {
        weightedSumTile(weights, keys8, valueRows, depth8, d0, jStart, min(jEnd, keyLength), tile);
        storeTile(tile, outputRows, rowBytes, rows, d0, depth, factors);
      }
    }
  }
}
