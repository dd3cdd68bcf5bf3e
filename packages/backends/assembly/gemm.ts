// Packed, cache-blocked GEMM, WebAssembly SIMD: C (m × n) = A (m × k) · B (k × n), where A and B
// are read through (row, column) element strides, so transposed operands need no copy. Blocks
// of KC depth: B is packed into 8-column panels (KC × 8), A into MR-row panels (KC × MR) per MC
// rows, and an MR×8 register tile (2·MR f32x4 accumulators) runs over each pair of panels.
//
// Both builds run the same 4×8 tile; the relaxed build's steps are fused multiply-adds (madd).
// Blocking for FMA, measured (Node 20, AMD EPYC with AVX-512, 1024³, one thread): 4×8 with FMA
// 1.3x the plain tile; 5×8 and 6×8 tiles (10 and 12 accumulators) were slower than 4×8, because
// TurboFan schedules all of a step's loads before its (pure) multiply-adds, so 12 accumulators,
// 2 B vectors and 6 broadcasts need 20 registers and spill; 8 accumulators cover the FMA latency
// (4 cycles × 2 pipes), so the register tile stays 4×8. Measured again 2026-12-07 (CPU time, one
// thread, 1024³, relaxed): ~45 GFLOP/s, ~78% of the 128-bit FMA peak at 3.6 GHz (2 pipes × 4 lanes ×
// 2 FLOP); unrolling the depth loop by 2 or 4 spills (TurboFan hoists every unrolled load: 25-29
// GFLOP/s); broadcasting A's four values by lane shuffles of one vector load, or ending the loop on
// a pointer instead of a counter, changed nothing (45.3, 45.1 against 45.8).
// Measured on Intel Xeon (model 207, Golden Cove class, ~2.97 GHz), 2026-12-07, one thread, CPU
// time: the f32x4.relaxed_madd peak is 47.5 GFLOP/s (bench/fma-peak.ts; 2 FMA/cycle natively, while
// mul + add pairs issue at ~1.45/cycle: adds also run on ports 1 and 5). The tile alone on L1
// panels: relaxed 44 GFLOP/s (93% of that peak), plain 33; 5×8 and 6×8 tiles 27-31 (spills);
// lane-shuffle broadcasts 39.5; the depth loop unrolled by 2 with an exit test after each step
// (each step's loads stay in its own block, no spill) 43; KC 512 +1%. Whole 1024³: relaxed 42,
// plain 31.6, so even a relaxed GEMM at the FMA peak would be 1.5x the plain one on this CPU.

import { madd } from './vector-fma';

/** Depth of each packed block. */
// @ts-ignore: decorator
@inline export const KC: i32 = 256;
/** Rows of the register tile (and of each packed A panel). */
// @ts-ignore: decorator
@inline export const MR: i32 = 4;
/** Rows of A packed per block: a multiple of MR. */
// @ts-ignore: decorator
@inline export const MC: i32 = 64;

/** Scratch floats matMul needs for m, n. */
export function matMulScratchFloats(m: i32, n: i32): i32 {
  const n8 = (n + 7) & ~7;
  return KC * n8 + KC * MC + 8 * MR;
}

/** Packs B's rows [p0, p0 + kc) into 8-column panels (kc × 8 each, zero-padded) at `packed`. */
export function packB(b: usize, rowStride: i32, colStride: i32, p0: i32, kc: i32, n: i32, packed: usize): void {
  const panels = (n + 7) >> 3;
  for (let panel = 0; panel < panels; panel++) {
    const j0 = panel << 3;
    const columns = min(8, n - j0);
    const to = packed + (<usize>(panel * kc * 8) << 2);
    for (let p = 0; p < kc; p++) {
      const row = to + (<usize>(p * 8) << 2);
      const from = b + (<usize>((p0 + p) * rowStride + j0 * colStride) << 2);
      if (columns == 8 && colStride == 1) {
        v128.store(row, v128.load(from));
        v128.store(row, v128.load(from, 16), 16);
        continue;
      }
      for (let c = 0; c < 8; c++) store<f32>(row + (<usize>c << 2), c < columns ? load<f32>(from + (<usize>(c * colStride) << 2)) : 0);
    }
  }
}

/**
 * Packs A's rows [i0, i0 + mc), depth [p0, p0 + kc) into MR-row panels (kc × MR each) at `packed`.
 * Full panels of a row-major A move 4 × 4 blocks through registers (four loads, a lane transpose,
 * four stores); of a transposed A (rowStride 1) one load per step, the panel's four rows being
 * adjacent there; edge panels and other strides go element by element. Data movement only: the
 * packed values are the same either way.
 */
export function packA(a: usize, rowStride: i32, colStride: i32, i0: i32, mc: i32, p0: i32, kc: i32, packed: usize): void {
  const panels = (mc + MR - 1) >> 2;
  for (let panel = 0; panel < panels; panel++) {
    const r0 = panel << 2;
    const rows = min(MR, mc - r0);
    const to = packed + (<usize>(panel * kc * MR) << 2);
    const from = a + (<usize>((i0 + r0) * rowStride + p0 * colStride) << 2);
    if (rows == MR && rowStride == 1) {
      const step = <usize>colStride << 2;
      for (let p = 0; p < kc; p++) v128.store(to + (<usize>p << 4), v128.load(from + <usize>p * step));
      continue;
    }
    if (rows == MR && colStride == 1) {
      const rowBytes = <usize>rowStride << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = from + (<usize>p << 2);
        const x0 = v128.load(at);
        const x1 = v128.load(at + rowBytes);
        const x2 = v128.load(at + 2 * rowBytes);
        const x3 = v128.load(at + 3 * rowBytes);
        const low01 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // A(r0, p), A(r0+1, p), A(r0, p+1), A(r0+1, p+1)
        const high01 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
        const low23 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
        const high23 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
        const out = to + (<usize>(p * MR) << 2);
        v128.store(out, i32x4.shuffle(low01, low23, 0, 1, 4, 5)); // step p: rows r0 .. r0+3
        v128.store(out, i32x4.shuffle(low01, low23, 2, 3, 6, 7), 16);
        v128.store(out, i32x4.shuffle(high01, high23, 0, 1, 4, 5), 32);
        v128.store(out, i32x4.shuffle(high01, high23, 2, 3, 6, 7), 48);
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++) store<f32>(to + (<usize>(p * MR + r) << 2), load<f32>(from + <usize>r * rowBytes + (<usize>p << 2)));
      }
      continue;
    }
    for (let r = 0; r < MR; r++) {
      const row = a + (<usize>((i0 + r0 + r) * rowStride + p0 * colStride) << 2);
      for (let p = 0; p < kc; p++) {
        store<f32>(to + (<usize>(p * MR + r) << 2), r < rows ? load<f32>(row + (<usize>(p * colStride) << 2)) : 0);
      }
    }
  }
}

/**
 * The matmul epilogue over C (rows × n, row-major): C[r, j] += bias[j] where `bias` is non-zero
 * (n floats), then max(C, 0) where `relu` (pseudo-max: −0 and NaN stay as they are, as in
 * `if (x < 0) x = 0`).
 */
export function biasActivation(c: usize, rows: i32, n: i32, bias: usize, relu: i32): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>n << 2;
  const vectorBytes = <usize>(n & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    const row = c + <usize>r * rowBytes;
    for (let j: usize = 0; j < vectorBytes; j += 16) {
      let x = v128.load(row + j);
      if (bias != 0) x = f32x4.add(x, v128.load(bias + j));
      if (relu != 0) x = f32x4.pmax(x, zero);
      v128.store(row + j, x);
    }
    for (let j = vectorBytes; j < rowBytes; j += 4) {
      let x = load<f32>(row + j);
      if (bias != 0) x += load<f32>(bias + j);
      if (relu != 0 && x < 0) x = 0;
      store<f32>(row + j, x);
    }
  }
}

/** C[r, 0 .. 8] += two accumulators, or only the valid `columns` of row r < rows (edge tiles). */
// @ts-ignore: decorator
@inline
function addRow(c: usize, r: i32, rowBytes: usize, rows: i32, columns: i32, low: v128, high: v128, spill: usize): void {
  if (r >= rows) return;
  const at = c + <usize>r * rowBytes;
  if (columns == 8) {
    v128.store(at, f32x4.add(v128.load(at), low));
    v128.store(at, f32x4.add(v128.load(at, 16), high), 16);
    return;
  }
  v128.store(spill, low);
  v128.store(spill, high, 16);
  for (let col = 0; col < columns; col++) {
    const to = at + (<usize>col << 2);
    store<f32>(to, load<f32>(to) + load<f32>(spill + (<usize>col << 2)));
  }
}

/**
 * C[4 × 8 tile at (i, j)] += packedA panel (kc × 4) · packedB panel (kc × 8), valid rows × columns
 * only; `spill` is 8 floats of this call's scratch (threads never share it).
 */
export function tile(packedA: usize, packedB: usize, kc: i32, c: usize, ldc: i32, rows: i32, columns: i32, spill: usize): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
  let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
  let pa = packedA;
  let pb = packedB;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const x0 = v128.load32_splat(pa);
    a00 = madd(x0, b0, a00);
    a01 = madd(x0, b1, a01);
    const x1 = v128.load32_splat(pa, 4);
    a10 = madd(x1, b0, a10);
    a11 = madd(x1, b1, a11);
    const x2 = v128.load32_splat(pa, 8);
    a20 = madd(x2, b0, a20);
    a21 = madd(x2, b1, a21);
    const x3 = v128.load32_splat(pa, 12);
    a30 = madd(x3, b0, a30);
    a31 = madd(x3, b1, a31);
    pa += 16;
    pb += 32;
  }
  const rowBytes = <usize>ldc << 2;
  addRow(c, 0, rowBytes, rows, columns, a00, a01, spill);
  addRow(c, 1, rowBytes, rows, columns, a10, a11, spill);
  addRow(c, 2, rowBytes, rows, columns, a20, a21, spill);
  addRow(c, 3, rowBytes, rows, columns, a30, a31, spill);
}

/**
 * C += A · B with C (m × n) row-major (zeroed by the caller for a plain product); A(i, p) at
 * a + 4·(i·aRow + p·aCol), B(p, j) at b + 4·(p·bRow + j·bCol).
 */
export function matMul(a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize, m: i32, n: i32, k: i32, scratch: usize): void {
  const n8 = (n + 7) & ~7;
  const packedB = scratch;
  const packedA = scratch + (<usize>(KC * n8) << 2);
  const spill = packedA + (<usize>(KC * MC) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(b, bRow, bCol, p0, kc, n, packedB);
    for (let i0 = 0; i0 < m; i0 += MC) {
      const mc = min(MC, m - i0);
      packA(a, aRow, aCol, i0, mc, p0, kc, packedA);
      for (let j0 = 0; j0 < n; j0 += 8) {
        const panelB = packedB + (<usize>((j0 >> 3) * kc * 8) << 2);
        for (let r0 = 0; r0 < mc; r0 += MR) {
          const panelA = packedA + (<usize>((r0 >> 2) * kc * MR) << 2);
          const at = c + (<usize>((i0 + r0) * n + j0) << 2);
          tile(panelA, panelB, kc, at, n, min(MR, mc - r0), min(8, n - j0), spill);
        }
      }
    }
  }
}
