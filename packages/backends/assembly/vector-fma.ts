// Multiply-add on four float32 lanes. The relaxed build (asc --enable relaxed-simd) emits
// f32x4.relaxed_madd, which V8 lowers to one fused vfmadd where the CPU has FMA3 (one rounding);
// the plain build emits a multiply and an add (two roundings). ASC_FEATURE_RELAXED_SIMD is a
// compile-time constant, so each build contains only its own branch.

/** a·b + c on four lanes. */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** c − a·b on four lanes. */
// @ts-ignore: decorator
@inline
export function nmadd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_nmadd(a, b, c);
  return f32x4.sub(c, f32x4.mul(a, b));
}

/** True in the relaxed-SIMD build: kernels pick their FMA blocking from it at compile time. */
// @ts-ignore: decorator
@inline
export const RELAXED: bool = ASC_FEATURE_RELAXED_SIMD;
