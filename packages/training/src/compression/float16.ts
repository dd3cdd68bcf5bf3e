const float32 = new Float32Array(1);
const bits32 = new Uint32Array(float32.buffer);

/**
 * The IEEE 754 half-precision bits of `value` (rounded to nearest, ties to even; overflow to
 * ±Infinity; NaN kept), the format tfjs decodes for `quantization: { dtype: 'float16' }`.
 *
 * @example
 * ```ts
 * toFloat16Bits(1);   // 0x3c00
 * toFloat16Bits(0.1); // 0x2e66 (0.0999755859375)
 * ```
 */
export function toFloat16Bits(value: number): number {
  float32[0] = value;
  const bits = bits32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // Infinity or NaN
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // too large: Infinity
  if (halfExponent <= 0) {
    // Subnormal half (or zero): shift the implicit-1 mantissa right, rounding to nearest even.
    if (halfExponent < -10) return sign;
    mantissa |= 0x800000;
    const shift = 14 - halfExponent;
    let half = mantissa >>> shift;
    const remainder = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half += 1;
    return sign | half;
  }
  let half = sign | (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && (half & 1) === 1)) half += 1; // a carry correctly bumps the exponent
  return half;
}
