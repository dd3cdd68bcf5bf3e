// Fused attention backward, WebAssembly SIMD, tiled (FlashAttention-2 recurrences, no T×S
// buffer). Per (batch, head): Kᵀ, Vᵀ and K are packed into O(S·D) scratch and dK, dV accumulate
// in padded O(S·D) buffers. Per block of 4 query rows: recompute s = scale·Q·Kᵀ and
// dp = dO·Vᵀ for the visible keys (4×8 tiles), p = exp(s − lse), ds = scale·p·(dp − δ) with
// δ = dO·O; then dQ = ds·K (4×8 tiles, complete for these rows). p and ds of BLOCK query rows
// (four groups of 4) stay in scratch, and dV += pᵀ·dO, dK += dsᵀ·Q run once per block as GEMMs of
// depth BLOCK (4-key × 8-column register tiles), not as rank-4 updates per group.
import { clearRange, exponentiate, firstVisible, lastVisible, maskScores } from './attention-rows';
import { storeTile } from './attention-forward';
import { dotTile, packPadded, packTransposed, roundUp8, ROWS, transposedProductUpdate, weightedSumTile } from './attention-tiles';
import { dot } from './vector-ops';
import { claim } from './work-queue';

/** Query rows whose p and ds are kept for one dV/dK update (a multiple of ROWS). */
// @ts-ignore: decorator
@inline const BLOCK: i32 = 16;

/** Scratch floats attentionBackward needs for key length S and depth D. */
export function backwardScratchFloats(keyLength: i32, depth: i32): i32 {
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  return 2 * depth * keys8 + 3 * keyLength * depth8 + 2 * BLOCK * keys8 + 2 * BLOCK * depth8 + 32 + 4 + BLOCK;
}

/** dst[r·cols + c] = src[r·srcStride + c]. */
function unpack(src: usize, dst: usize, rows: i32, cols: i32, srcStride: i32): void {
  for (let r = 0; r < rows; r++) memory.copy(dst + (<usize>(r * cols) << 2), src + (<usize>(r * srcStride) << 2), <usize>cols << 2);
}

/** row[j] = 0 for j in [blockStart, blockEnd) outside [jStart, jEnd) (all of it when that is empty). */
function clearOutside(row: usize, blockStart: i32, blockEnd: i32, jStart: i32, jEnd: i32): void {
  if (jEnd <= jStart) {
    clearRange(row, blockStart, blockEnd);
    return;
  }
  clearRange(row, blockStart, jStart);
  clearRange(row, jEnd, blockEnd);
}

export function attentionBackward(
  query: usize, key: usize, value: usize, mask: usize, output: usize, logSumExp: usize, dOutput: usize,
  dQuery: usize, dKey: usize, dValue: usize, scratch: usize,
  batch: i32, heads: i32, queryLength: i32, keyLength: i32, depth: i32,
  scale: f32, causal: i32, window: i32,
  maskStrideBatch: i32, maskStrideHeads: i32, maskStrideQuery: i32, maskStrideKey: i32, allVisible: i32,
  counter: usize,
): void {
  if (scratch == 0) return; // this thread sits out
  const keys8 = roundUp8(keyLength);
  const depth8 = roundUp8(depth);
  const keysT = scratch; // (D, S8)
  const valuesT = keysT + (<usize>(depth * keys8) << 2); // (D, S8)
  const keys = valuesT + (<usize>(depth * keys8) << 2); // (S, D8)
  const dKeys = keys + (<usize>(keyLength * depth8) << 2); // (S, D8)
  const dValues = dKeys + (<usize>(keyLength * depth8) << 2); // (S, D8)
  const probabilities = dValues + (<usize>(keyLength * depth8) << 2); // (BLOCK, S8)
  const dScores = probabilities + (<usize>(BLOCK * keys8) << 2); // (BLOCK, S8)
  const queryBlock = dScores + (<usize>(BLOCK * keys8) << 2); // (BLOCK, D8)
  const dOutputBlock = queryBlock + (<usize>(BLOCK * depth8) << 2); // (BLOCK, D8)
  const tile = dOutputBlock + (<usize>(BLOCK * depth8) << 2); // (4, 8)
  const ones = tile + 128; // (4)
  const ranges = ones + 16; // (BLOCK / ROWS) × [jStart, jEnd) of each group, i32
  for (let r = 0; r < ROWS; r++) store<f32>(ones + (<usize>r << 2), 1);
  const rowBytes = <usize>depth << 2;
  const weightRow = <usize>keys8 << 2;
  const sliceBytes = <usize>keyLength * rowBytes;
  // (batch, head) slices claimed one at a time from `counter` (work-queue.ts): a thread the OS
  // deschedules holds up only the slice it is on, not a fixed share
  const slices = batch * heads;
  for (let slice = claim(counter); slice < slices; slice = claim(counter)) {
    const b = slice / heads;
    const h = slice % heads;
    packTransposed(key + <usize>slice * sliceBytes, keysT, keyLength, depth, keys8);
    packTransposed(value + <usize>slice * sliceBytes, valuesT, keyLength, depth, keys8);
    // with rows a multiple of 8 long (depth == depth8), K is read and dK, dV accumulate where they
    // are stored; else padded copies in scratch
    const aligned = depth == depth8;
    const keyRows = aligned ? key + <usize>slice * sliceBytes : keys;
    const dKeyRows = aligned ? dKey + <usize>slice * sliceBytes : dKeys;
    const dValueRows = aligned ? dValue + <usize>slice * sliceBytes : dValues;
    if (!aligned) packPadded(key + <usize>slice * sliceBytes, keys, keyLength, depth, depth8);
    memory.fill(dKeyRows, 0, <usize>(keyLength * depth8) << 2);
    memory.fill(dValueRows, 0, <usize>(keyLength * depth8) << 2);
    for (let block0 = 0; block0 < queryLength; block0 += BLOCK) {
      const blockRows = min(BLOCK, queryLength - block0);
      let blockStart = keys8;
      let blockEnd = 0;
      for (let group = 0; group * ROWS < blockRows; group++) {
        const i0 = block0 + group * ROWS;
        const rows = min(ROWS, queryLength - i0);
        const firstRow = slice * queryLength + i0;
        // this group's rows of the block buffers
        const probabilities4 = probabilities + <usize>(group * ROWS) * weightRow;
        const dScores4 = dScores + <usize>(group * ROWS) * weightRow;
        const queryRows4 = queryBlock + (<usize>(group * ROWS * depth8) << 2);
        const dOutputRows4 = dOutputBlock + (<usize>(group * ROWS * depth8) << 2);
        const range = ranges + (<usize>group << 3);
        store<i32>(range, 0);
        store<i32>(range, 0, 4);
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
        // zero query/dO rows: rows past the end and skipped groups add nothing to dV, dK
        memory.fill(queryRows4, 0, <usize>(ROWS * depth8) << 2);
        memory.fill(dOutputRows4, 0, <usize>(ROWS * depth8) << 2);
        if (hi < lo) continue; // every row fully masked: no gradient (dQuery starts zeroed)
        const jStart = lo & ~7;
        const jEnd = min(keys8, roundUp8(hi + 1));
        store<i32>(range, jStart);
        store<i32>(range, jEnd, 4);
        blockStart = min(blockStart, jStart);
        blockEnd = max(blockEnd, jEnd);
        const blockOffset = <usize>firstRow * rowBytes;
        const lastOffset = <usize>(rows - 1) * rowBytes;
        const queryRows = query + blockOffset;
        const dOutputRows = dOutput + blockOffset;
        for (let j0 = jStart; j0 < jEnd; j0 += 8) {
          dotTile(queryRows, queryRows + min<usize>(rowBytes, lastOffset), queryRows + min<usize>(2 * rowBytes, lastOffset), queryRows + min<usize>(3 * rowBytes, lastOffset), keysT, keys8, j0, depth, probabilities4, keys8, scale);
          dotTile(dOutputRows, dOutputRows + min<usize>(rowBytes, lastOffset), dOutputRows + min<usize>(2 * rowBytes, lastOffset), dOutputRows + min<usize>(3 * rowBytes, lastOffset), valuesT, keys8, j0, depth, dScores4, keys8, 1);
        }
        packPadded(queryRows, queryRows4, rows, depth, depth8);
        packPadded(dOutputRows, dOutputRows4, rows, depth, depth8);
        for (let r = 0; r < ROWS; r++) {
          const probabilityRow = probabilities4 + <usize>r * weightRow;
          const dScoreRow = dScores4 + <usize>r * weightRow;
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
          weightedSumTile(dScores4, keys8, keyRows, depth8, d0, jStart, keyEnd, tile);
          storeTile(tile, dQuery + blockOffset, rowBytes, rows, d0, depth, ones);
        }
      }
      if (blockEnd <= blockStart) continue;
      // p and ds are zero over [blockStart, blockEnd) outside each group's own range
      const groups = (blockRows + ROWS - 1) / ROWS;
      for (let group = 0; group < groups; group++) {
        const range = ranges + (<usize>group << 3);
        for (let r = 0; r < ROWS; r++) {
          const rowOffset = <usize>(group * ROWS + r) * weightRow;
          clearOutside(probabilities + rowOffset, blockStart, blockEnd, load<i32>(range), load<i32>(range, 4));
          clearOutside(dScores + rowOffset, blockStart, blockEnd, load<i32>(range), load<i32>(range, 4));
        }
      }
      const groupRows = groups * ROWS;
      const keyEnd = min(blockEnd, keyLength);
      transposedProductUpdate(dValueRows, depth8, probabilities, keys8, dOutputBlock, groupRows, blockStart, keyEnd);
      transposedProductUpdate(dKeyRows, depth8, dScores, keys8, queryBlock, groupRows, blockStart, keyEnd);
    }
    if (aligned) continue;
    unpack(dKeys, dKey + <usize>slice * sliceBytes, keyLength, depth, depth8);
    unpack(dValues, dValue + <usize>slice * sliceBytes, keyLength, depth, depth8);
  }
}
