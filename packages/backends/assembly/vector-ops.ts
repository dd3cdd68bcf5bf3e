// Small SIMD helpers over float32 rows in linear memory.

import { madd } from './vector-fma';

// @ts-ignore: decorator
@inline
export function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** Σ a[d]·b[d] for d < depth. */
// @ts-ignore: decorator
@inline
export function dot(a: usize, b: usize, depth: i32): f32 {
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let d = 0;
  for (; d + 8 <= depth; d += 8) {
    const offset = <usize>d << 2;
    acc0 = madd(v128.load(a + offset), v128.load(b + offset), acc0);
    acc1 = madd(v128.load(a + offset, 16), v128.load(b + offset, 16), acc1);
  }
  for (; d + 4 <= depth; d += 4) {
    const offset = <usize>d << 2;
    acc0 = madd(v128.load(a + offset), v128.load(b + offset), acc0);
  }
  let sum = horizontalSum(f32x4.add(acc0, acc1));
  for (; d < depth; d++) sum += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return sum;
}
