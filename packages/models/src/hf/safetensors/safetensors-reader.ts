import type { ByteSource } from './byte-source';
import { decodeTensorBytes, dtypeBytes, isIntegerDtype, type SafetensorsDtype, type TensorData } from './safetensors-dtype';
import { SafetensorsError } from './safetensors-error';
import { parseSafetensorsHeader, readHeaderLength, type SafetensorsEntry, type SafetensorsHeader } from './parse-safetensors-header';

/** One tensor read from a checkpoint. */
export interface LoadedTensor {
  readonly name: string;
  /** The dtype stored in the file. */
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** F16, BF16, F32 and F8 as `Float32Array`; F64 as `Float64Array`; integers in their own typed array. */
  readonly data: TensorData;
}

/**
 * Receives one piece of a tensor streamed by {@link SafetensorsReader.readFloat32}: `values` (only
 * valid during the call: the reader may reuse its memory) hold elements `start … start + values.length - 1`
 * of the tensor in C order.
 */
export type Float32ChunkSink = (values: Float32Array, start: number) => void;

/** Options of {@link SafetensorsReader.readFloat32}. */
export interface ReadFloat32Options {
  /** Elements per piece (default 1,048,576: 4 MB of float32). */
  chunkElements?: number;
}

/** Default elements per piece of {@link SafetensorsReader.readFloat32}. */
export const FLOAT32_CHUNK_ELEMENTS = 1 << 20;

/** Which tensors {@link SafetensorsReader.tensors} yields. */
export interface ReadTensorsOptions {
  /** Skip integer and boolean buffers (`position_ids`, `token_type_ids`): default false. */
  skipIntegers?: boolean;
  /** Read only the tensors this returns true for. */
  filter?: (entry: SafetensorsEntry) => boolean;
}

/**
 * Reads one safetensors file tensor by tensor from a {@link ByteSource}: `open` reads and validates
 * the header only; each `read` fetches exactly one tensor's byte range and decodes it (F32 without
 * a copy), so peak memory is the tensors the caller keeps plus one tensor in flight.
 *
 * @example
 * ```ts
 * import { fileByteSource } from '@heed/models/node';
 * const reader = await SafetensorsReader.open(await fileByteSource('bert/model.safetensors'));
 * for await (const tensor of reader.tensors({ skipIntegers: true })) {
 *   console.log(tensor.name, tensor.shape); // "bert.embeddings.word_embeddings.weight" [30522, 768]
 * }
 * await reader.close();
 * ```
 */
export class SafetensorsReader {
  private readonly byName: Map<string, SafetensorsEntry>;

  private constructor(
    private readonly source: ByteSource,
    /** The validated header: entries in file order and `__metadata__`. */
    readonly header: SafetensorsHeader,
  ) {
    this.byName = new Map(header.entries.map((entry) => [entry.name, entry]));
  }

  /** Reads and validates the header of `source` (the data is not read). Throws {@link SafetensorsError}. */
  static async open(source: ByteSource): Promise<SafetensorsReader> {
    const prefix = await readExactly(source, 0, Math.min(8, source.size));
    const headerLength = readHeaderLength(prefix, source.size, source.name);
    const headerBytes = await readExactly(source, 8, headerLength);
    const header = parseSafetensorsHeader(headerBytes, 8 + headerLength, source.size - 8 - headerLength, source.name);
    return new SafetensorsReader(source, header);
  }

  /** The file's name, path or URL. */
  get name(): string {
    return this.source.name;
  }

  /** Tensor names in file order. */
  get names(): string[] {
    return this.header.entries.map((entry) => entry.name);
  }

  /** The header entry of `name`, or undefined. */
  entry(name: string): SafetensorsEntry | undefined {
    return this.byName.get(name);
  }

  /** Reads the raw little-endian bytes of one tensor. */
  async readBytes(name: string): Promise<Uint8Array> {
    const entry = this.byName.get(name);
    if (!entry) {
      throw new SafetensorsError(this.source.name, `no such tensor; the file has ${this.header.entries.length} (${this.names.slice(0, 5).join(', ')}${this.header.entries.length > 5 ? ', …' : ''})`, name);
    }
    const [begin, end] = entry.dataOffsets;
    return readExactly(this.source, this.header.dataStart + begin, end - begin, name);
  }

  /** Reads and decodes one tensor. */
  async read(name: string): Promise<LoadedTensor> {
    const bytes = await this.readBytes(name);
    const entry = this.byName.get(name)!;
    return { name, dtype: entry.dtype, shape: entry.shape, data: decodeTensorBytes(entry.dtype, bytes) };
  }

  /**
   * Streams one floating-point tensor (F32, F16, BF16, F8, F64) as float32 in pieces of at most
   * `chunkElements` elements, each read from the file and decoded on its own, so no copy of the
   * whole tensor exists at any time: a caller that writes the pieces straight into their final
   * place (a variable's memory) loads a checkpoint in about its own size. Integer and bool tensors
   * throw {@link SafetensorsError}.
   *
   * @example
   * ```ts
   * const table = new Float32Array(30522 * 768);
   * await reader.readFloat32('bert.embeddings.word_embeddings.weight', (values, start) => table.set(values, start));
   * ```
   */
  async readFloat32(name: string, sink: Float32ChunkSink, options: ReadFloat32Options = {}): Promise<void> {
    const entry = this.byName.get(name);
    if (!entry) {
      await this.readBytes(name); // throws the "no such tensor" error
      return;
    }
    const { dtype, dataOffsets: [begin, end] } = entry;
    if (isIntegerDtype(dtype)) throw new SafetensorsError(this.source.name, `expected a floating-point tensor (F32, F16, BF16, F8, F64); got ${dtype}`, name);
    const chunk = options.chunkElements ?? FLOAT32_CHUNK_ELEMENTS;
    if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError(`readFloat32: chunkElements must be a positive integer; got ${String(options.chunkElements)}`);
    const width = dtypeBytes(dtype);
    const count = (end - begin) / width;
    for (let start = 0; start < count; start += chunk) {
      const length = Math.min(chunk, count - start);
      const bytes = await readExactly(this.source, this.header.dataStart + begin + start * width, length * width, name);
      const values = decodeTensorBytes(dtype, bytes);
      sink(values instanceof Float32Array ? values : Float32Array.from(values as Float64Array), start);
    }
  }

  /** Yields the tensors one at a time, in file order. */
  async *tensors(options: ReadTensorsOptions = {}): AsyncGenerator<LoadedTensor> {
    for (const entry of this.header.entries) {
      if (options.skipIntegers && isIntegerDtype(entry.dtype)) continue;
      if (options.filter && !options.filter(entry)) continue;
      yield await this.read(entry.name);
    }
  }

  /** Closes the underlying source. */
  async close(): Promise<void> {
    await this.source.close();
  }
}

async function readExactly(source: ByteSource, offset: number, length: number, tensor?: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await source.read(offset, length);
  } catch (error) {
    if (error instanceof SafetensorsError) throw error;
    throw new SafetensorsError(source.name, `could not read bytes ${offset}..${offset + length}: ${(error as Error).message}`, tensor, { cause: error });
  }
  if (bytes.byteLength !== length) {
    throw new SafetensorsError(source.name, `truncated: asked for ${length} bytes at ${offset}, got ${bytes.byteLength} (the file changed or ended early)`, tensor);
  }
  return bytes;
}
