// Building blocks of the tiled attention kernels: packing, and 4×8 register-tile micro-kernels
// (8 f32x4 accumulators, operands splatted from one side and loaded as vectors from the other,
// the layout of a GEMM micro-kernel). Tiles are 4 query rows by 8 keys or 8 depth columns.
// Steps are multiply-adds: fused in the relaxed build (see vector-fma.ts).

import { madd } from './vector-fma';

/** Query rows per tile. */
export const ROWS = 4;

/** `count` rounded up to a multiple of 8. */
// @ts-ignore: decorator
@inline
export function roundUp8(count: i32): i32 {
  return (count + 7) & ~7;
}

/**
 * dst[c·dstStride + r] = src[r·cols + c] (rows × cols → cols × dstStride), zero-padded columns:
 * 4×4 blocks transposed in registers (four loads, eight shuffles, four stores), the edges scalar.
 */
export function packTransposed(src: usize, dst: usize, rows: i32, cols: i32, dstStride: i32): void {
  if (dstStride != rows) memory.fill(dst, 0, <usize>(cols * dstStride) << 2);
  const rows4 = rows & ~3;
  const cols4 = cols & ~3;
  const srcRow = <usize>cols << 2;
  const dstRow = <usize>dstStride << 2;
  for (let r = 0; r < rows4; r += 4) {
    const from = src + <usize>r * srcRow;
    for (let c = 0; c < cols4; c += 4) {
      const at = from + (<usize>c << 2);
      const x0 = v128.load(at);
      const x1 = v128.load(at + srcRow);
      const x2 = v128.load(at + 2 * srcRow);
      const x3 = v128.load(at + 3 * srcRow);
      const low01 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // (r, c), (r+1, c), (r, c+1), (r+1, c+1)
      const high01 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
      const low23 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
      const high23 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
      const to = dst + <usize>c * dstRow + (<usize>r << 2);
      v128.store(to, i32x4.shuffle(low01, low23, 0, 1, 4, 5)); // column c, rows r..r+3
      v128.store(to + dstRow, i32x4.shuffle(low01, low23, 2, 3, 6, 7));
      v128.store(to + 2 * dstRow, i32x4.shuffle(high01, high23, 0, 1, 4, 5));
      v128.store(to + 3 * dstRow, i32x4.shuffle(high01, high23, 2, 3, 6, 7));
    }
    for (let c = cols4; c < cols; c++) {
      for (let k = 0; k < 4; k++) store<f32>(dst + (<usize>(c * dstStride + r + k) << 2), load<f32>(from + <usize>k * srcRow + (<usize>c << 2)));
    }
  }
  for (let r = rows4; r < rows; r++) {
    const from = src + <usize>r * srcRow;
    for (let c = 0; c < cols; c++) store<f32>(dst + (<usize>(c * dstStride + r) << 2), load<f32>(from + (<usize>c << 2)));
  }
}

/** dst[r·dstStride + c] = src[r·cols + c], zero-padded to dstStride columns. */
export function packPadded(src: usize, dst: usize, rows: i32, cols: i32, dstStride: i32): void {
  if (dstStride == cols) {
    memory.copy(dst, src, <usize>(rows * cols) << 2);
    return;
  }
  memory.fill(dst, 0, <usize>(rows * dstStride) << 2);
  for (let r = 0; r < rows; r++) memory.copy(dst + (<usize>(r * dstStride) << 2), src + (<usize>(r * cols) << 2), <usize>cols << 2);
}

/**
 * out[r·outStride + j0 .. +8] = scale · Σ_d rows_r[d] · packed[d·packedStride + j0 .. +8] for the
 * four row pointers (r < 4): a 4×8 tile of rows · packedᵀ.
 */
export function dotTile(
  row0: usize, row1: usize, row2: usize, row3: usize, packed: usize, packedStride: i32, j0: i32, depth: i32,
  out: usize, outStride: i32, scale: f32,
): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
  let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
  let column = packed + (<usize>j0 << 2);
  const step = <usize>packedStride << 2;
  for (let d = 0; d < depth; d++) {
    const b0 = v128.load(column);
    const b1 = v128.load(column, 16);
    const offset = <usize>d << 2;
    const x0 = v128.load32_splat(row0 + offset);
    a00 = madd(x0, b0, a00);
    a01 = madd(x0, b1, a01);
    const x1 = v128.load32_splat(row1 + offset);
    a10 = madd(x1, b0, a10);
    a11 = madd(x1, b1, a11);
    const x2 = v128.load32_splat(row2 + offset);
    a20 = madd(x2, b0, a20);
    a21 = madd(x2, b1, a21);
    const x3 = v128.load32_splat(row3 + offset);
    a30 = madd(x3, b0, a30);
    a31 = madd(x3, b1, a31);
    column += step;
  }
  const scales = f32x4.splat(scale);
  const rowBytes = <usize>outStride << 2;
  const at = out + (<usize>j0 << 2);
  v128.store(at, f32x4.mul(a00, scales));
  v128.store(at, f32x4.mul(a01, scales), 16);
  v128.store(at + rowBytes, f32x4.mul(a10, scales));
  v128.store(at + rowBytes, f32x4.mul(a11, scales), 16);
  v128.store(at + 2 * rowBytes, f32x4.mul(a20, scales));
  v128.store(at + 2 * rowBytes, f32x4.mul(a21, scales), 16);
  v128.store(at + 3 * rowBytes, f32x4.mul(a30, scales));
  v128.store(at + 3 * rowBytes, f32x4.mul(a31, scales), 16);
}

/**
 * out[r·8 .. +8] = Σ_{j in [jStart, jEnd)} weights[r·weightStride + j] · packed[j·packedStride + d0 .. +8]:
 * a 4×8 tile of weights · packed (4 weight rows, 8 depth columns from d0).
 */
export function weightedSumTile(weights: usize, weightStride: i32, packed: usize, packedStride: i32, d0: i32, jStart: i32, jEnd: i32, out: usize): void {
  let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
  let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
  let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
  let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
  const weightRow = <usize>weightStride << 2;
  let row = packed + (<usize>(jStart * packedStride + d0) << 2);
  const step = <usize>packedStride << 2;
  for (let j = jStart; j < jEnd; j++) {
    const b0 = v128.load(row);
    const b1 = v128.load(row, 16);
    const w = weights + (<usize>j << 2);
    const x0 = v128.load32_splat(w);
    a00 = madd(x0, b0, a00);
    a01 = madd(x0, b1, a01);
    const x1 = v128.load32_splat(w + weightRow);
    a10 = madd(x1, b0, a10);
    a11 = madd(x1, b1, a11);
    const x2 = v128.load32_splat(w + 2 * weightRow);
    a20 = madd(x2, b0, a20);
    a21 = madd(x2, b1, a21);
    const x3 = v128.load32_splat(w + 3 * weightRow);
    a30 = madd(x3, b0, a30);
    a31 = madd(x3, b1, a31);
    row += step;
  }
  v128.store(out, a00);
  v128.store(out, a01, 16);
  v128.store(out, a10, 32);
  v128.store(out, a11, 48);
  v128.store(out, a20, 64);
  v128.store(out, a21, 80);
  v128.store(out, a30, 96);
  v128.store(out, a31, 112);
}

/**
 * target[j·stride + d] += Σ_{i < rows} weights[i·weightStride + j] · block[i·stride + d] for keys j
 * in [jStart, jEnd) and all `stride` columns d (a multiple of 8): weightsᵀ · block, a GEMM of
 * depth `rows` (the query rows of a block), in 4-key × 8-column register tiles added to target once
 * per block. jStart is a multiple of 4; rows of weights and block past the block's last query row
 * are zero.
 */
export function transposedProductUpdate(target: usize, stride: i32, weights: usize, weightStride: i32, block: usize, rows: i32, jStart: i32, jEnd: i32): void {
  const weightRow = <usize>weightStride << 2;
  const blockRow = <usize>stride << 2;
  for (let j0 = jStart; j0 < jEnd; j0 += 4) {
    const keys = min(4, jEnd - j0);
    for (let d0 = 0; d0 < stride; d0 += 8) {
      let a00 = f32x4.splat(0), a01 = f32x4.splat(0);
      let a10 = f32x4.splat(0), a11 = f32x4.splat(0);
      let a20 = f32x4.splat(0), a21 = f32x4.splat(0);
      let a30 = f32x4.splat(0), a31 = f32x4.splat(0);
      let w = weights + (<usize>j0 << 2);
      let x = block + (<usize>d0 << 2);
      for (let i = 0; i < rows; i++) {
        const b0 = v128.load(x);
        const b1 = v128.load(x, 16);
        const x0 = v128.load32_splat(w);
        a00 = madd(x0, b0, a00);
        a01 = madd(x0, b1, a01);
        const x1 = v128.load32_splat(w, 4);
        a10 = madd(x1, b0, a10);
        a11 = madd(x1, b1, a11);
        const x2 = v128.load32_splat(w, 8);
        a20 = madd(x2, b0, a20);
        a21 = madd(x2, b1, a21);
        const x3 = v128.load32_splat(w, 12);
        a30 = madd(x3, b0, a30);
        a31 = madd(x3, b1, a31);
        w += weightRow;
        x += blockRow;
      }
      const at = target + <usize>j0 * blockRow + (<usize>d0 << 2);
      v128.store(at, f32x4.add(v128.load(at), a00));
      v128.store(at, f32x4.add(v128.load(at, 16), a01), 16);
      if (keys < 2) continue;
      v128.store(at + blockRow, f32x4.add(v128.load(at + blockRow), a10));
      v128.store(at + blockRow, f32x4.add(v128.load(at + blockRow, 16), a11), 16);
      if (keys < 3) continue;
      v128.store(at + 2 * blockRow, f32x4.add(v128.load(at + 2 * blockRow), a20));
      v128.store(at + 2 * blockRow, f32x4.add(v128.load(at + 2 * blockRow, 16), a21), 16);
      if (keys < 4) continue;
      v128.store(at + 3 * blockRow, f32x4.add(v128.load(at + 3 * blockRow), a30));
      v128.store(at + 3 * blockRow, f32x4.add(v128.load(at + 3 * blockRow, 16), a31), 16);
    }
  }
}
