// Packed, cache-blocked GEMM, WebAssembly SIMD: C (m × n) = A (m × k) · B (k × n), where A and B
// are read through (row, column) element strides, so transposed operands need no copy. Blocks
// of KC depth: B is packed into 8-column panels (KC × 8), A into 4-row panels (KC × 4) per MC
// rows, and a 4×8 register tile (8 f32x4 accumulators) runs over each pair of panels.

// @ts-ignore: decorator
@inline const KC: i32 = 256;
// @ts-ignore: decorator
@inline const MC: i32 = 64;

/** Scratch floats matMul needs for m, n. */
export function matMulScratchFloats(m: i32, n: i32): i32 {
  const n8 = (n + 7) & ~7;
  return KC * n8 + KC * MC + 32;
}

function packB(b: usize, rowStride: i32, colStride: i32, p0: i32, kc: i32, n: i32, packed: usize): void {
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

function packA(a: usize, rowStride: i32, colStride: i32, i0: i32, mc: i32, p0: i32, kc: i32, packed: usize): void {
  const panels = (mc + 3) >> 2;
  for (let panel = 0; panel < panels; panel++) {
    const r0 = panel << 2;
    const rows = min(4, mc - r0);
    const to = packed + (<usize>(panel * kc * 4) << 2);
    for (let r = 0; r < 4; r++) {
      const from = a + (<usize>((i0 + r0 + r) * rowStride + p0 * colStride) << 2);
      for (let p = 0; p < kc; p++) {
        store<f32>(to + (<usize>(p * 4 + r) << 2), r < rows ? load<f32>(from + (<usize>(p * colStride) << 2)) : 0);
      }
    }
  }
}

/**
 * C[4 × 8 tile at (i, j)] += packedA panel (kc × 4) · packedB panel (kc × 8), valid rows × columns
 * only; `spill` is 32 floats of this call's scratch (threads never share it).
 */
function tile(packedA: usize, packedB: usize, kc: i32, c: usize, ldc: i32, rows: i32, columns: i32, spill: usize): void {
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
    a00 = f32x4.add(a00, f32x4.mul(x0, b0));
    a01 = f32x4.add(a01, f32x4.mul(x0, b1));
    const x1 = v128.load32_splat(pa + 4);
    a10 = f32x4.add(a10, f32x4.mul(x1, b0));
    a11 = f32x4.add(a11, f32x4.mul(x1, b1));
    const x2 = v128.load32_splat(pa + 8);
    a20 = f32x4.add(a20, f32x4.mul(x2, b0));
    a21 = f32x4.add(a21, f32x4.mul(x2, b1));
    const x3 = v128.load32_splat(pa + 12);
    a30 = f32x4.add(a30, f32x4.mul(x3, b0));
    a31 = f32x4.add(a31, f32x4.mul(x3, b1));
    pa += 16;
    pb += 32;
  }
  const rowBytes = <usize>ldc << 2;
  if (rows == 4 && columns == 8) {
    v128.store(c, f32x4.add(v128.load(c), a00));
    v128.store(c, f32x4.add(v128.load(c, 16), a01), 16);
    v128.store(c + rowBytes, f32x4.add(v128.load(c + rowBytes), a10));
    v128.store(c + rowBytes, f32x4.add(v128.load(c + rowBytes, 16), a11), 16);
    v128.store(c + 2 * rowBytes, f32x4.add(v128.load(c + 2 * rowBytes), a20));
    v128.store(c + 2 * rowBytes, f32x4.add(v128.load(c + 2 * rowBytes, 16), a21), 16);
    v128.store(c + 3 * rowBytes, f32x4.add(v128.load(c + 3 * rowBytes), a30));
    v128.store(c + 3 * rowBytes, f32x4.add(v128.load(c + 3 * rowBytes, 16), a31), 16);
    return;
  }
  // edge tile: spill the accumulators, then add the valid part
  v128.store(spill, a00);
  v128.store(spill, a01, 16);
  v128.store(spill, a10, 32);
  v128.store(spill, a11, 48);
  v128.store(spill, a20, 64);
  v128.store(spill, a21, 80);
  v128.store(spill, a30, 96);
  v128.store(spill, a31, 112);
  for (let r = 0; r < rows; r++)
    for (let col = 0; col < columns; col++) {
      const at = c + <usize>r * rowBytes + (<usize>col << 2);
      store<f32>(at, load<f32>(at) + load<f32>(spill + (<usize>(r * 8 + col) << 2)));
    }
}

/**
 * C = A · B with C (m × n) row-major and zeroed by the caller; A(i, p) at a + 4·(i·aRow + p·aCol),
 * B(p, j) at b + 4·(p·bRow + j·bCol).
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
        for (let r0 = 0; r0 < mc; r0 += 4) {
          const panelA = packedA + (<usize>((r0 >> 2) * kc * 4) << 2);
          tile(panelA, panelB, kc, c + (<usize>((i0 + r0) * n + j0) << 2), n, min(4, mc - r0), min(8, n - j0), spill);
        }
      }
    }
  }
}
