// Fused attention backward, WebAssembly SIMD, tiled (FlashAttention-2 recurrences, no T×S
// buffer). Per (batch, head): Kᵀ, Vᵀ and K are packed into O(S·D) scratch and dK, dV accumulate
// in padded O(S·D) buffers. Per block of 4 query rows: recompute s = scale·Q·Kᵀ and
// dp = dO·Vᵀ for the visible keys (4×8 tiles), p = exp(s − lse), ds = scale·p·(dp − δ) with
// δ = dO·O; then dQ = ds·K (4×8 tiles, complete for these rows), dV += pᵀ·dO and dK += dsᵀ·Q
// (rank-4 updates).
import { clearRange, exponentiate, firstVisible, lastVisible, maskScores } from './attention-rows';
import { storeTile } from './attention-forward';
import { dotTile, packPadded, packTransposed, rankFourUpdate, roundUp8, ROWS, weightedSumTile } from './attention-tiles';
import { dot } from './vector-ops';

/** Scratch floats attentionBackward needs for key length S and depth D. */
export function backwardScratchFloats(keyLength: i32, depth: i32): i32 {
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  return 2 * depth * keys8 + 3 * keyLength * depth8 + 2 * ROWS * keys8 + 2 * ROWS * depth8 + 32 + 4;
}

/** dst[r·cols + c] = src[r·srcStride + c]. */
function unpack(src: usize, dst: usize, rows: i32, cols: i32, srcStride: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(dst + (<usize>(r * cols) << 2), src + (<usize>(r * srcStride) << 2), <usize>cols << 2);
}

export function attentionBackward(
  query: usize, key: usize, value: usize, mask: usize, output: usize, logSumExp: usize, dOutput: usize,
  dQuery: usize, dKey: usize, dValue: usize, scratch: usize,
  batch: i32, heads: i32, queryLength: i32, keyLength: i32, depth: i32,
  scale: f32, causal: i32, window: i32,
  maskStrideBatch: i32, maskStrideHeads: i32, maskStrideQuery: i32, maskStrideKey: i32, allVisible: i32,
  sliceStart: i32, sliceEnd: i32,
): void {
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  const keysT = scratch; // (D, S8)
  const valuesT = keysT + (<usize>(depth * keys8) << 2); // (D, S8)
  const keys = valuesT + (<usize>(depth * keys8) << 2); // (S, D8)
  const dKeys = keys + (<usize>(keyLength * depth8) << 2); // (S, D8)
  const dValues = dKeys + (<usize>(keyLength * depth8) << 2); // (S, D8)
  const probabilities = dValues + (<usize>(keyLength * depth8) << 2); // (4, S8)
  const dScores = probabilities + (<usize>(ROWS * keys8) << 2); // (4, S8)
  const queryBlock = dScores + (<usize>(ROWS * keys8) << 2); // (4, D8)
  const dOutputBlock = queryBlock + (<usize>(ROWS * depth8) << 2); // (4, D8)
  const tile = dOutputBlock + (<usize>(ROWS * depth8) << 2); // (4, 8)
  const ones = tile + 128; // (4)
  for (let r = 0; r < ROWS; r++) store<f32>(ones + (<usize>r << 2), 1);
  const rowBytes = <usize>depth << 2;
  const weightRow = <usize>keys8 << 2;
  const sliceBytes = <usize>keyLength * rowBytes;
  // (batch, head) slices [sliceStart, sliceEnd): threads split the slices between them
  for (let slice = sliceStart; slice < min(sliceEnd, batch * heads); slice++) {
    const b = slice / heads;
    const h = slice % heads;
    packTransposed(key + <usize>slice * sliceBytes, keysT, keyLength, depth, keys8);
    packTransposed(value + <usize>slice * sliceBytes, valuesT, keyLength, depth, keys8);
    packPadded(key + <usize>slice * sliceBytes, keys, keyLength, depth, depth8);
    memory.fill(dKeys, 0, <usize>(2 * keyLength * depth8) << 2); // dKeys and dValues
    for (let i0 = 0; i0 < queryLength; i0 += ROWS) {
      const rows = min(ROWS, queryLength - i0);
      const firstRow = slice * queryLength + i0;
      let lo = keyLength;
      let hi = -1;
      for (let r = 0; r < rows; r++) {
        const first = firstVisible(i0 + r, window);
        const last = lastVisible(i0 + r, keyLength, causal, window);
        if (first <= last && load<f32>(logSumExp + (<usize>(firstRow + r) << 2)) != -Infinity) {
          lo = min(lo, first);
          hi = max(hi, last);
        }
      }
      if (hi < lo) continue; // every row fully masked: no gradient (dQuery starts zeroed)
      const jStart = lo & ~7;
      const jEnd = min(keys8, roundUp8(hi + 1));
      const blockOffset = <usize>firstRow * rowBytes;
      const lastOffset = <usize>(rows - 1) * rowBytes;
      const queryRows = query + blockOffset;
      const dOutputRows = dOutput + blockOffset;
      for (let j0 = jStart; j0 < jEnd; j0 += 8) {
        dotTile(queryRows, queryRows + min<usize>(rowBytes, lastOffset), queryRows + min<usize>(2 * rowBytes, lastOffset), queryRows + min<usize>(3 * rowBytes, lastOffset), keysT, keys8, j0, depth, probabilities, keys8, scale);
        dotTile(dOutputRows, dOutputRows + min<usize>(rowBytes, lastOffset), dOutputRows + min<usize>(2 * rowBytes, lastOffset), dOutputRows + min<usize>(3 * rowBytes, lastOffset), valuesT, keys8, j0, depth, dScores, keys8, 1);
      }
      packPadded(queryRows, queryBlock, rows, depth, depth8);
      packPadded(dOutputRows, dOutputBlock, rows, depth, depth8);
      if (rows < ROWS) {
        memory.fill(queryBlock + (<usize>(rows * depth8) << 2), 0, <usize>((ROWS - rows) * depth8) << 2);
        memory.fill(dOutputBlock + (<usize>(rows * depth8) << 2), 0, <usize>((ROWS - rows) * depth8) << 2);
      }
      for (let r = 0; r < ROWS; r++) {
        const probabilityRow = probabilities + <usize>r * weightRow;
        const dScoreRow = dScores + <usize>r * weightRow;
        const lse = r < rows ? load<f32>(logSumExp + (<usize>(firstRow + r) << 2)) : -Infinity;
        if (lse == -Infinity) {
          clearRange(probabilityRow, jStart, jEnd);
          clearRange(dScoreRow, jStart, jEnd);
          continue;
        }
        const i = i0 + r;
        const maskRowOffset = b * maskStrideBatch + h * maskStrideHeads + i * maskStrideQuery;
        maskScores(probabilityRow, jStart, jEnd, firstVisible(i, window), lastVisible(i, keyLength, causal, window), mask, maskRowOffset, maskStrideKey, allVisible != 0);
        exponentiate(probabilityRow, jStart, jEnd, lse);
        const rowOffset = blockOffset + <usize>r * rowBytes;
        const deltas = f32x4.splat(dot(dOutput + rowOffset, output + rowOffset, depth));
        const scales = f32x4.splat(scale);
        for (let j = jStart; j < jEnd; j += 4) {
          const at = <usize>j << 2;
          const p = v128.load(probabilityRow + at);
          v128.store(dScoreRow + at, f32x4.mul(f32x4.mul(p, f32x4.sub(v128.load(dScoreRow + at), deltas)), scales));
        }
      }
      const keyEnd = min(jEnd, keyLength);
      for (let d0 = 0; d0 < depth8; d0 += 8) {
        weightedSumTile(dScores, keys8, keys, depth8, d0, jStart, keyEnd, tile);
        storeTile(tile, dQuery + blockOffset, rowBytes, rows, d0, depth, ones);
      }
      rankFourUpdate(dValues, depth8, probabilities, keys8, dOutputBlock, jStart, keyEnd);
      rankFourUpdate(dKeys, depth8, dScores, keys8, queryBlock, jStart, keyEnd);
    }
    unpack(dKeys, dKey + <usize>slice * sliceBytes, keyLength, depth, depth8);
    unpack(dValues, dValue + <usize>slice * sliceBytes, keyLength, depth, depth8);
  }
}
