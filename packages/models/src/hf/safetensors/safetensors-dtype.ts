/** Every dtype the safetensors format defines. */
export const SAFETENSORS_DTYPES = [
  'BOOL', 'U8', 'I8', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64', 'F8_E4M3', 'F8_E5M2',
] as const;

/** A safetensors dtype name, as written in the header. */
export type SafetensorsDtype = (typeof SAFETENSORS_DTYPES)[number];

/** The dtypes read as `Float32Array` (`F64` is read as `Float64Array`). */
export const FLOAT_DTYPES: readonly SafetensorsDtype[] = ['F16', 'BF16', 'F32', 'F8_E4M3', 'F8_E5M2'];

/** The dtypes a writer can produce from a `Float32Array`. */
export type FloatWriteDtype = 'F32' | 'F16' | 'BF16';

const BYTES: Record<SafetensorsDtype, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, F64: 8, I64: 8, U64: 8,
};

/** Whether `name` is a safetensors dtype. */
export function isSafetensorsDtype(name: unknown): name is SafetensorsDtype {
  return typeof name === 'string' && Object.hasOwn(BYTES, name);
}

/** Bytes per element of `dtype`. */
export function dtypeBytes(dtype: SafetensorsDtype): number {
  return BYTES[dtype];
}

/** Whether `dtype` holds integers or booleans (buffers such as `position_ids`), not floats. */
export function isIntegerDtype(dtype: SafetensorsDtype): boolean {
  return !FLOAT_DTYPES.includes(dtype) && dtype !== 'F64';
}

/** The typed array a tensor of each dtype is read into. */
export type TensorData =
  | Float32Array | Float64Array | Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array
  | BigInt64Array | BigUint64Array;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

// One half-float bit pattern → float32, as a 65,536-entry table (256 KiB, built on first use).
let halfTable: Float32Array | undefined;
function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
function halfLookup(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits += 1) halfTable[bits] = halfToFloat(bits);
  }
  return halfTable;
}

// F8_E4M3 (the "fn" variant PyTorch and safetensors use: no infinities, NaN at S.1111.111).
function e4m3ToFloat(bits: number): number {
  const sign = bits & 0x80 ? -1 : 1;
  const exponent = (bits >> 3) & 0x0f;
  const mantissa = bits & 0x07;
  if (exponent === 0x0f && mantissa === 0x07) return NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -9;
  return sign * (1 + mantissa / 8) * 2 ** (exponent - 7);
}

/**
 * Decodes the little-endian bytes of one tensor to a typed array: F16, BF16, F32 and both F8
 * formats to `Float32Array`, F64 to `Float64Array`, integers and BOOL to their own typed array.
 * F32 (and the other multi-byte types, on little-endian hosts) reuse `bytes`' buffer without a
 * copy when `bytes` starts on an aligned offset; otherwise one copy of the tensor is made.
 */
export function decodeTensorBytes(dtype: SafetensorsDtype, bytes: Uint8Array): TensorData {
  const count = bytes.byteLength / BYTES[dtype];
  switch (dtype) {
    case 'F16': {
      const table = halfLookup();
      const half = view(Uint16Array, bytes, 2);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i += 1) out[i] = table[half[i]!]!;
      return out;
    }
    case 'BF16': {
      const half = view(Uint16Array, bytes, 2);
      const out = new Float32Array(count);
      const outBits = new Uint32Array(out.buffer);
      for (let i = 0; i < count; i += 1) outBits[i] = half[i]! << 16;
      return out;
    }
    case 'F8_E5M2': {
      const table = halfLookup();
      const out = new Float32Array(count);
      for (let i = 0; i < count; i += 1) out[i] = table[bytes[i]! << 8]!;
      return out;
    }
    case 'F8_E4M3': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i += 1) out[i] = e4m3ToFloat(bytes[i]!);
      return out;
    }
    case 'F32': return view(Float32Array, bytes, 4);
    case 'F64': return view(Float64Array, bytes, 8);
    case 'I16': return view(Int16Array, bytes, 2);
    case 'U16': return view(Uint16Array, bytes, 2);
    case 'I32': return view(Int32Array, bytes, 4);
    case 'U32': return view(Uint32Array, bytes, 4);
    case 'I64': return view(BigInt64Array, bytes, 8);
    case 'U64': return view(BigUint64Array, bytes, 8);
    case 'I8': return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    case 'U8':
    case 'BOOL': return bytes;
  }
}

interface TypedArrayType<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  new (length: number): T;
}

/** A typed view of little-endian `bytes` (aligned: no copy; unaligned or big-endian host: one copy). */
function view<T extends { length: number }>(Type: TypedArrayType<T>, bytes: Uint8Array, size: number): T {
  const count = bytes.byteLength / size;
  if (LITTLE_ENDIAN && bytes.byteOffset % size === 0) return new Type(bytes.buffer, bytes.byteOffset, count);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  return new Type(copy.buffer, 0, count);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** float32 → IEEE half bits, rounding to nearest even (as `tensor.half()` does). */
export function floatToHalfBits(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN
  let halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign; // underflow → ±0
    mantissa |= 0x800000; // subnormal half: shift the implicit bit in
    const shift = 14 - halfExponent;
    const half = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    return sign | (half + (rest > halfway || (rest === halfway && (half & 1)) ? 1 : 0));
  }
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // Rounding may carry into the exponent, and from the largest finite value into Inf: both correct.
  halfExponent = half + (rest > 0x1000 || (rest === 0x1000 && (half & 1)) ? 1 : 0);
  return sign | halfExponent;
}

/** float32 → bfloat16 bits, rounding to nearest even (as `tensor.bfloat16()` does). */
export function floatToBfloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0]!;
  if ((bits & 0x7f800000) === 0x7f800000 && bits & 0x7fffff) return ((bits >>> 16) | 0x40) & 0xffff; // quiet NaN
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** Encodes float32 values as little-endian bytes of `dtype` (a new buffer; F32 on a LE host: a view). */
export function encodeFloats(values: Float32Array, dtype: FloatWriteDtype): Uint8Array {
  if (dtype === 'F32') {
    if (LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const out = new Uint8Array(values.length * 4);
    const data = new DataView(out.buffer);
    for (let i = 0; i < values.length; i += 1) data.setFloat32(i * 4, values[i]!, true);
    return out;
  }
  const out = new Uint8Array(values.length * 2);
  const convert = dtype === 'F16' ? floatToHalfBits : floatToBfloat16Bits;
  for (let i = 0; i < values.length; i += 1) {
    const bits = convert(values[i]!);
    out[2 * i] = bits & 0xff;
    out[2 * i + 1] = bits >>> 8;
  }
  return out;
}
