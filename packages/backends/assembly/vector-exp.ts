// exp(x) on four float32 lanes: Cephes' expf (range reduction by ln 2, degree-5 polynomial,
// scaling by 2^n through the exponent bits, n rounded by adding 1.5·2^23). Relative error ~2e-7. Lanes below −87.3 (masked
// scores are −Infinity) give exactly 0. The polynomial's steps are multiply-adds (fused in the
// relaxed build, see vector-fma.ts).

import { madd, nmadd } from './vector-fma';

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;

/** 1.5 · 2^23: adding it rounds a float32 of magnitude < 2^22 to an integer (ties to even). */
// @ts-ignore: decorator
@inline const ROUNDER: f32 = 12582912.0;

// @ts-ignore: decorator
@inline
export function expF32x4(x: v128): v128 {
  const underflow = f32x4.lt(x, f32x4.splat(-87.3));
  // pmax/pmin (one maxps/minps each; f32x4.max/min are NaN-propagating sequences): with x the
  // first operand a NaN lane stays NaN, as with max/min
  const clamped = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.3));
  // n = round(x·log2 e) by the 1.5·2^23 trick: `shifted` holds n in its low mantissa bits, so
  // 2^n is (bits + 127) << 23 (the trick's own exponent bits shift out), no float→int conversion
  const shifted = madd(clamped, f32x4.splat(LOG2E), f32x4.splat(ROUNDER));
  const n = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  let r = nmadd(n, f32x4.splat(LN2_HI), clamped);
  r = nmadd(n, f32x4.splat(LN2_LO), r);
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(madd(f32x4.mul(p, r), r, r), f32x4.splat(1.0));
  const powerOfTwo = i32x4.shl(i32x4.add(shifted, i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(y, powerOfTwo), underflow);
}
