/**
 * Random access to the bytes of one file, wherever it lives: memory, a browser `Blob`/`File`, a
 * Node file handle (`@heed/models/node`'s `fileByteSource`). Readers ask for one range at a time,
 * so a checkpoint is never held twice.
 */
export interface ByteSource {
  /** The file's name, path or URL, used in error messages. */
  readonly name: string;
  /** Size in bytes. */
  readonly size: number;
  /**
   * Reads `length` bytes at `offset` (a fresh buffer, or a view of bytes already in memory; typed
   * views over an aligned result need no copy). Fewer bytes back means the file ended early.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /** Releases the file (a no-op for memory and blobs). */
  close(): Promise<void>;
}

/**
 * A {@link ByteSource} over bytes already in memory (the bytes are not copied; reads are views).
 *
 * @example
 * ```ts
 * const reader = await SafetensorsReader.open(bytesSource(new Uint8Array(await response.arrayBuffer()), 'model.safetensors'));
 * ```
 */
export function bytesSource(bytes: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: bytes.byteLength,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.byteLength), Math.min(offset + length, bytes.byteLength)),
    close: async () => undefined,
  };
}

/**
 * A {@link ByteSource} over a `Blob` (a browser `File` from a drop or an input, a cached
 * `Response.blob()`): each read slices the blob, so the browser may keep the file on disk.
 *
 * @example
 * ```ts
 * const reader = await SafetensorsReader.open(blobSource(droppedFile, droppedFile.name));
 * ```
 */
export function blobSource(blob: Blob, name: string): ByteSource {
  return {
    name,
    size: blob.size,
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
    close: async () => undefined,
  };
}
