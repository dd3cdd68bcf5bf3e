// Small SIMD helpers over float32 rows in linear memory.

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
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + offset), v128.load(b + offset)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + offset, 16), v128.load(b + offset, 16)));
  }
  for (; d + 4 <= depth; d += 4) {
    const offset = <usize>d << 2;
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + offset), v128.load(b + offset)));
  }
  let sum = horizontalSum(f32x4.add(acc0, acc1));
  for (; d < depth; d++) sum += load<f32>(a + (<usize>d << 2)) * load<f32>(b + (<usize>d << 2));
  return sum;
}

/** y[d] += alpha·x[d] for d < depth. */
// @ts-ignore: decorator
@inline
export function axpy(y: usize, alpha: f32, x: usize, depth: i32): void {
  const alphas = f32x4.splat(alpha);
  let d = 0;
  for (; d + 4 <= depth; d += 4) {
    const offset = <usize>d << 2;
    v128.store(y + offset, f32x4.add(v128.load(y + offset), f32x4.mul(alphas, v128.load(x + offset))));
  }
  for (; d < depth; d++) {
    const offset = <usize>d << 2;
    store<f32>(y + offset, load<f32>(y + offset) + alpha * load<f32>(x + offset));
  }
}

/** y[d] = 0 for d < count. */
// @ts-ignore: decorator
@inline
export function zero(y: usize, count: i32): void {
  memory.fill(y, 0, <usize>count << 2);
}
