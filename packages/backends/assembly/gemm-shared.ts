// The GEMM of gemm.ts for several threads on one shared memory, work claimed at run time
// (work-queue.ts). Phase 1: the threads pack all of B (every batch, every KC block) once, in units
// of PANEL_GROUP 8-column panels, into one packed copy they all read; phase 2, once every unit of
// phase 1 is done: units of MC rows of C (per batch), each packing its own A panels and running the
// same 4×8 register tiles over the shared packed B. Every element of C sums its KC blocks in the
// order matMul does, with the same tiles, so the results equal matMul's bit for bit.
import { KC, MC, MR, packA, packB, tile } from './gemm';
import { awaitCount, claim } from './work-queue';

/** 8-column panels of B per packing unit. */
// @ts-ignore: decorator
@inline const PANEL_GROUP: i32 = 16;

/** Per-thread scratch floats of matMulShared (packed A panels and a spill tile). */
export function matMulSharedScratchFloats(): i32 {
  return KC * MC + 8 * MR;
}

/** Floats of the packed copy of B that the threads of one matMulShared call share. */
export function packedBFloats(batchB: i32, n: i32, k: i32): i32 {
  return batchB * k * ((n + 7) & ~7);
}

/**
 * C[i] += A[i] · B[i] for i < batch with C (batch × m × n) row-major (zeroed by the caller), run by
 * every thread of a call with the same arguments except `scratch` (its own; 0 = this thread sits
 * out). A[i](r, p) at a + 4·(i·aBatch + r·aRow + p·aCol) and B[i](p, j) at
 * b + 4·(i·bBatch + p·bRow + j·bCol), where batchB is 1 (B broadcast) or batch, and aBatch = 0
 * broadcasts A. `packedB` holds packedBFloats(batchB, n, k) floats; `counters` three i32 zeroed by
 * the caller (phase-1 units claimed, phase-1 units done, phase-2 units claimed).
 */
export function matMulShared(
  a: usize, aRow: i32, aCol: i32, aBatch: i32,
  b: usize, bRow: i32, bCol: i32, bBatch: i32,
  c: usize, m: i32, n: i32, k: i32, batch: i32, batchB: i32,
  packedB: usize, counters: usize, scratch: usize,
): void {
  if (scratch == 0) return;
  const n8 = (n + 7) & ~7;
  const blocks = (k + KC - 1) / KC;
  const groups = ((n8 >> 3) + PANEL_GROUP - 1) / PANEL_GROUP;
  // phase 1: pack B, (batch, KC block, panel group) units
  const packUnits = batchB * blocks * groups;
  for (let unit = claim(counters); unit < packUnits; unit = claim(counters)) {
    const group = unit % groups;
    const block = (unit / groups) % blocks;
    const index = unit / (groups * blocks);
    const p0 = block * KC;
    const kc = min(KC, k - p0);
    const j0 = group * PANEL_GROUP * 8;
    const from = b + (<usize>(index * bBatch + j0 * bCol) << 2);
    const to = packedB + (<usize>(index * k * n8 + p0 * n8 + (j0 >> 3) * kc * 8) << 2);
    packB(from, bRow, bCol, p0, kc, min(PANEL_GROUP * 8, n - j0), to);
    claim(counters + 4); // one more unit done
  }
  awaitCount(counters + 4, packUnits);
  // phase 2: (batch, MC rows) units over the shared packed B
  const packedA = scratch;
  const spill = scratch + (<usize>(KC * MC) << 2);
  const rowBlocks = (m + MC - 1) / MC;
  const units = batch * rowBlocks;
  for (let unit = claim(counters + 8); unit < units; unit = claim(counters + 8)) {
    const index = unit / rowBlocks;
    const i0 = (unit % rowBlocks) * MC;
    const mc = min(MC, m - i0);
    const aBase = a + (<usize>(index * aBatch) << 2);
    const bBase = packedB + (<usize>((batchB == 1 ? 0 : index) * k * n8) << 2);
    const cBase = c + (<usize>((index * m + i0) * n) << 2);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packA(aBase, aRow, aCol, i0, mc, p0, kc, packedA);
      const block = bBase + (<usize>(p0 * n8) << 2);
      for (let j0 = 0; j0 < n; j0 += 8) {
        const panelB = block + (<usize>((j0 >> 3) * kc * 8) << 2);
        for (let r0 = 0; r0 < mc; r0 += MR) {
          const panelA = packedA + (<usize>((r0 >> 2) * kc * MR) << 2);
          tile(panelA, panelB, kc, cBase + (<usize>(r0 * n + j0) << 2), n, min(MR, mc - r0), min(8, n - j0), spill);
        }
      }
    }
  }
}
