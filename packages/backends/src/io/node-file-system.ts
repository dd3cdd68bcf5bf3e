import type * as FileSystemPromises from 'node:fs/promises';
import { importNodeOnly } from './import-node-only';

/**
 * The file operations heed's Node savers and loaders use: `node:fs/promises` by default
 * ({@link nodeFileSystem}); a test may pass its own (a disk that fails half way, say).
 */
export interface NodeFileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  rm(path: string, options: { force: true }): Promise<void>;
  /** Lets a load refuse a file of the wrong size, or a device such as /dev/zero, before reading it. */
  stat(path: string): Promise<{ size: number; isFile(): boolean; mtimeMs?: number }>;
  /** Creates `path`, rejecting with `code: 'EEXIST'` if it exists (O_EXCL): lock files. */
  writeFileExclusive(path: string, data: string): Promise<void>;
  /**
   * Creates `path` (O_EXCL), writes the chunks in order as they come (each is written before the
   * next is asked for, so a file larger than memory streams through), flushes it to disk (fsync)
   * and closes it. Optional: without it, {@link writeFilesAtomically} joins the chunks and calls
   * `writeFile`.
   */
  writeFileChunks?(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<void>;
}

/**
 * `node:fs/promises` as a {@link NodeFileSystem}, imported on first use (so browser bundles never
 * load it). Node only.
 *
 * @example
 * ```ts
 * const fs = await nodeFileSystem();
 * await fs.writeFile('/tmp/x.json', '{}');
 * ```
 */
export async function nodeFileSystem(): Promise<NodeFileSystem> {
  const fs = await importNodeOnly<typeof FileSystemPromises>('node:fs/promises');
  return {
    mkdir: (path, options) => fs.mkdir(path, options),
    writeFile: (path, data) => fs.writeFile(path, data),
    readFile: (path) => fs.readFile(path),
    rename: (from, to) => fs.rename(from, to),
    readdir: (path) => fs.readdir(path),
    rm: (path, options) => fs.rm(path, options),
    stat: (path) => fs.stat(path),
    writeFileExclusive: (path, data) => fs.writeFile(path, data, { flag: 'wx' }),
    async writeFileChunks(path, chunks) {
      const handle = await fs.open(path, 'wx');
      try {
        for await (const chunk of chunks) {
          for (let written = 0; written < chunk.byteLength; ) written += (await handle.write(chunk, written, chunk.byteLength - written)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Removes a `file://` scheme and trailing slashes: `file:///tmp/model/` → `/tmp/model`.
 *
 * @example
 * ```ts
 * stripFileScheme('file:///tmp/g2p/'); // '/tmp/g2p'
 * ```
 */
export function stripFileScheme(directory: string): string {
  return directory.replace(/^file:\/\//, '').replace(/\/+$/, '');
}
