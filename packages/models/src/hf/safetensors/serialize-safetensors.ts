import { dtypeBytes, encodeFloats, isSafetensorsDtype, SAFETENSORS_DTYPES, type FloatWriteDtype, type SafetensorsDtype } from './safetensors-dtype';
import { SafetensorsError } from './safetensors-error';

/** One tensor to write: float32 values stored as F32/F16/BF16, or raw bytes of any dtype. */
export type TensorToWrite =
  | { readonly shape: readonly number[]; readonly data: Float32Array; readonly dtype?: FloatWriteDtype }
  | { readonly shape: readonly number[]; readonly bytes: Uint8Array; readonly dtype: SafetensorsDtype };

/**
 * A tensor whose values are fetched only when the writer reaches it (e.g. `() => variable.data()`
 * from a GPU), so a streaming writer holds one tensor at a time.
 */
export interface LazyTensorToWrite {
  readonly shape: readonly number[];
  readonly dtype?: FloatWriteDtype;
  readonly load: () => Promise<Float32Array> | Float32Array;
}

/** A serialized safetensors file as chunks (header, then each tensor's bytes): no full copy. */
export interface SerializedSafetensors {
  /** The chunks in file order; their concatenation is the file. */
  readonly chunks: readonly Uint8Array[];
  /** Total size in bytes. */
  readonly size: number;
}

/** A planned file: its header bytes, then one encoder per tensor, in order. */
export interface SafetensorsPlan {
  /** The 8-byte length and the padded JSON header. */
  readonly head: Uint8Array;
  /** Each tensor's byte length and how to get its bytes. */
  readonly parts: readonly { readonly name: string; readonly byteLength: number; readonly encode: () => Promise<Uint8Array> }[];
  /** Total size in bytes. */
  readonly size: number;
}

/**
 * Validates tensors and builds the header (padded with spaces so the data starts on an 8-byte
 * boundary, as the reference writer does); the data is encoded only when each part's `encode`
 * is called. Errors name the destination `file` and the tensor.
 */
export function planSafetensors(
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  metadata: Readonly<Record<string, string>> | undefined,
  file: string,
): SafetensorsPlan {
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') throw new SafetensorsError(file, `metadata.${key} must be a string; got ${typeof value}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const parts: { name: string; byteLength: number; encode: () => Promise<Uint8Array> }[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new SafetensorsError(file, 'a tensor may not be named __metadata__', name);
    const dtype = tensor.dtype ?? 'F32';
    if (!isSafetensorsDtype(dtype)) throw new SafetensorsError(file, `unknown dtype ${JSON.stringify(dtype)}; expected one of ${SAFETENSORS_DTYPES.join(', ')}`, name);
    if (!Array.isArray(tensor.shape) || !tensor.shape.every((size) => Number.isSafeInteger(size) && size >= 0)) {
      throw new SafetensorsError(file, `shape must be an array of non-negative integers; got ${JSON.stringify(tensor.shape)}`, name);
    }
    const elements = tensor.shape.reduce((product, size) => product * size, 1);
    const byteLength = elements * dtypeBytes(dtype);
    const shape = `shape [${tensor.shape.join(', ')}]`;
    let encode: () => Promise<Uint8Array>;
    if ('bytes' in tensor) {
      if (tensor.bytes.byteLength !== byteLength) throw new SafetensorsError(file, `${shape} × ${dtype} needs ${byteLength} bytes but bytes has ${tensor.bytes.byteLength}`, name);
      encode = async () => tensor.bytes;
    } else {
      if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
        throw new SafetensorsError(file, `float32 data can be written as F32, F16 or BF16; got dtype ${dtype} (pass bytes for other dtypes)`, name);
      }
      const check = (data: Float32Array) => {
        if (!(data instanceof Float32Array)) throw new SafetensorsError(file, `data must be a Float32Array; got ${Object.prototype.toString.call(data)}`, name);
        if (data.length !== elements) throw new SafetensorsError(file, `${shape} has ${elements} elements but data has ${data.length}`, name);
        return encodeFloats(data, dtype);
      };
      if ('data' in tensor) {
        check(tensor.data);
        encode = async () => check(tensor.data);
      } else {
        encode = async () => check(await tensor.load());
      }
    }
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + byteLength] };
    parts.push({ name, byteLength, encode });
    offset += byteLength;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  const padding = (8 - ((8 + encoder.encode(json).byteLength) % 8)) % 8;
  json += ' '.repeat(padding);
  const headerBytes = encoder.encode(json);
  const head = new Uint8Array(8 + headerBytes.byteLength);
  new DataView(head.buffer).setBigUint64(0, BigInt(headerBytes.byteLength), true);
  head.set(headerBytes, 8);
  return { head, parts, size: head.byteLength + offset };
}

/**
 * Serializes tensors to the safetensors format: an 8-byte little-endian header length, the JSON
 * header (`dtype`, `shape`, `data_offsets`, optional `__metadata__`), then the little-endian data
 * in the given order. F32 data is not copied (chunks are views of the caller's arrays); F16/BF16
 * are rounded to nearest even, as `tensor.half()` / `tensor.bfloat16()` do.
 *
 * @param file - The destination's name, for errors.
 * @example
 * ```ts
 * const { chunks } = await serializeSafetensors({ 'classifier.weight': { shape: [2, 4], data: new Float32Array(8), dtype: 'F16' } }, { format: 'pt' });
 * const blob = new Blob(chunks); // a download of model.safetensors
 * ```
 */
export async function serializeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
  file = 'safetensors',
): Promise<SerializedSafetensors> {
  const plan = planSafetensors(tensors, metadata, file);
  const chunks = [plan.head];
  for (const part of plan.parts) chunks.push(await part.encode());
  return { chunks, size: plan.size };
}

/**
 * Serializes to one contiguous `Uint8Array` (a copy: for small files and tests).
 *
 * @example
 * ```ts
 * const bytes = await safetensorsBytes({ bias: { shape: [3], data: new Float32Array([1, 2, 3]) } });
 * ```
 */
export async function safetensorsBytes(
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<Uint8Array<ArrayBuffer>> {
  const { chunks, size } = await serializeSafetensors(tensors, metadata);
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
