import { SAFETENSORS_DTYPES, dtypeBytes, isSafetensorsDtype, type SafetensorsDtype } from './safetensors-dtype';
import { SafetensorsError, cut } from './safetensors-error';

/** The largest header a reader accepts (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor's entry in a safetensors header. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte range `[begin, end)` relative to the start of the data. */
  readonly dataOffsets: readonly [number, number];
}

/** A parsed and validated safetensors header. */
export interface SafetensorsHeader {
  /** Tensors in file order (by data offset). */
  readonly entries: readonly SafetensorsEntry[];
  /** The optional `__metadata__` string map. */
  readonly metadata: Readonly<Record<string, string>>;
  /** Absolute byte offset where the data starts: 8 + header length. */
  readonly dataStart: number;
}

/**
 * Reads the 8-byte little-endian header length at the start of a safetensors file and checks it
 * against the file size and {@link MAX_HEADER_BYTES}.
 *
 * @param prefix - At least the first 8 bytes of the file (fewer: the file is truncated).
 * @param fileSize - The file's size in bytes.
 * @param file - The file's name, for errors.
 * @returns The header's length in bytes.
 */
export function readHeaderLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || prefix.byteLength < 8) {
    throw new SafetensorsError(file, `truncated: a safetensors file starts with an 8-byte header length, but the file has ${fileSize} bytes`);
  }
  const length = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(file, `header length ${length} is over the ${MAX_HEADER_BYTES}-byte limit (not a safetensors file, or a corrupt one)`);
  }
  const headerLength = Number(length);
  if (8 + headerLength > fileSize) {
    throw new SafetensorsError(file, `header length ${headerLength} runs past the end of the file (${fileSize} bytes: truncated?)`);
  }
  return headerLength;
}

/**
 * Parses and validates a safetensors JSON header: every entry has a known dtype, a shape of
 * non-negative integers and `data_offsets` whose length equals shape × dtype size; the entries
 * neither overlap nor leave holes and cover the data exactly (`dataBytes`, the file size less
 * the header). Errors name the file and the tensor.
 *
 * @example
 * ```ts
 * const header = parseSafetensorsHeader(headerBytes, 8 + headerBytes.length, fileSize - 8 - headerBytes.length, 'model.safetensors');
 * header.entries.map((entry) => entry.name);
 * ```
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, dataStart: number, dataBytes: number, file: string): SafetensorsHeader {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw new SafetensorsError(file, `header is not valid UTF-8 JSON (${cut(String((error as Error).message))})`, undefined, { cause: error });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SafetensorsError(file, `header must be a JSON object; got ${Array.isArray(json) ? 'an array' : typeof json}`);
  }
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new SafetensorsError(file, `__metadata__ must be an object of strings; got ${describe(value)}`);
      }
      for (const [key, text] of Object.entries(value as Record<string, unknown>)) {
        if (typeof text !== 'string') throw new SafetensorsError(file, `__metadata__.${cut(key)} must be a string; got ${describe(text)}`);
        metadata[key] = text;
      }
      continue;
    }
    entries.push(parseEntry(name, value, file));
  }
  entries.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of entries) {
    const [begin, end] = entry.dataOffsets;
    if (begin < covered) {
      throw new SafetensorsError(file, `data_offsets [${begin}, ${end}] overlap tensor ${JSON.stringify(cut(previous!.name))} [${previous!.dataOffsets.join(', ')}]`, entry.name);
    }
    if (begin > covered) {
      throw new SafetensorsError(file, `data_offsets [${begin}, ${end}] leave bytes ${covered}..${begin} of the data uncovered (a hole)`, entry.name);
    }
    if (end > dataBytes) {
      throw new SafetensorsError(file, `data_offsets [${begin}, ${end}] run past the end of the data (${dataBytes} bytes after the header: truncated file?)`, entry.name);
    }
    covered = end;
    previous = entry;
  }
  if (covered !== dataBytes) {
    throw new SafetensorsError(file, `the tensors cover ${covered} bytes of data but the file holds ${dataBytes} after the header (trailing bytes)`);
  }
  return { entries, metadata, dataStart };
}

function parseEntry(name: string, value: unknown, file: string): SafetensorsEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsError(file, `entry must be an object {dtype, shape, data_offsets}; got ${describe(value)}`, name);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isSafetensorsDtype(dtype)) {
    throw new SafetensorsError(file, `unknown dtype ${describe(dtype)}; expected one of ${SAFETENSORS_DTYPES.join(', ')}`, name);
  }
  if (!Array.isArray(shape) || !shape.every((size) => Number.isSafeInteger(size) && (size as number) >= 0)) {
    throw new SafetensorsError(file, `shape must be an array of non-negative integers; got ${describe(shape)}`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((offset) => Number.isSafeInteger(offset) && (offset as number) >= 0)) {
    throw new SafetensorsError(file, `data_offsets must be [begin, end] of non-negative integers; got ${describe(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new SafetensorsError(file, `data_offsets [${begin}, ${end}] end before they begin`, name);
  let elements = 1;
  for (const size of shape as number[]) elements *= size;
  const expected = elements * dtypeBytes(dtype);
  if (!Number.isSafeInteger(expected) || expected !== end - begin) {
    throw new SafetensorsError(
      file,
      `shape [${(shape as number[]).join(', ')}] × ${dtype} (${dtypeBytes(dtype)} bytes) needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      name,
    );
  }
  return { name, dtype, shape: [...(shape as number[])], dataOffsets: [begin, end] };
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return cut(text, 60);
}
