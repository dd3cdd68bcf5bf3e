import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeFilesAtomically, type FileToWrite, type NodeFileSystem } from '@heed/backends';
import type { ByteSource } from './byte-source';
import { SafetensorsError } from './safetensors-error';
import { SafetensorsReader } from './safetensors-reader';
import { planSafetensors, type LazyTensorToWrite, type SafetensorsPlan, type TensorToWrite } from './serialize-safetensors';
import { SAFETENSORS_FILE, SAFETENSORS_INDEX_FILE, ShardedSafetensorsReader, shardSafetensors, type TensorReader } from './sharded-safetensors';

/**
 * A {@link ByteSource} over a file on disk, read range by range through one `FileHandle`: each
 * read allocates exactly the bytes asked for, never the whole file. Node only.
 *
 * @example
 * ```ts
 * const reader = await SafetensorsReader.open(await fileByteSource('bert/model.safetensors'));
 * ```
 */
export async function fileByteSource(path: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new SafetensorsError(path, `cannot open: ${(error as Error).message}`, undefined, { cause: error });
  }
  const { size } = await handle.stat();
  let closed = false;
  return {
    name: path,
    size,
    async read(offset, length) {
      const bytes = new Uint8Array(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(bytes, filled, length - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === length ? bytes : bytes.subarray(0, filled);
    },
    async close() {
      if (!closed) {
        closed = true;
        await handle.close();
      }
    },
  };
}

/**
 * Opens a checkpoint on disk: a `.safetensors` file, an index `.json`, or a folder holding
 * `model.safetensors` or `model.safetensors.index.json` (the single file wins, as in `from_pretrained`).
 *
 * @example
 * ```ts
 * const reader = await openSafetensorsNode('checkpoints/bert-tiny');
 * for await (const tensor of reader.tensors({ skipIntegers: true })) console.log(tensor.name);
 * await reader.close();
 * ```
 */
export async function openSafetensorsNode(path: string): Promise<TensorReader> {
  let target = path;
  const info = await stat(path).catch((error: unknown) => {
    throw new SafetensorsError(path, `cannot open: ${(error as Error).message}`, undefined, { cause: error });
  });
  if (info.isDirectory()) {
    const index = join(path, SAFETENSORS_INDEX_FILE);
    const single = join(path, SAFETENSORS_FILE);
    if (await exists(single)) target = single;
    else if (await exists(index)) target = index;
    else throw new SafetensorsError(path, `folder holds neither ${SAFETENSORS_FILE} nor ${SAFETENSORS_INDEX_FILE}`);
  }
  if (target.endsWith('.json')) {
    const folder = dirname(target);
    return ShardedSafetensorsReader.open(await readFile(target, 'utf8'), (shard) => fileByteSource(join(folder, shard)), target);
  }
  const source = await fileByteSource(target);
  try {
    return await SafetensorsReader.open(source);
  } catch (error) {
    await source.close();
    throw error;
  }
}

/** The chunks of one planned file: the header, then each tensor encoded only when the writer reaches it. */
async function* planChunks(plan: SafetensorsPlan, path: string): AsyncIterable<Uint8Array> {
  yield plan.head;
  for (const part of plan.parts) {
    let bytes: Uint8Array;
    try {
      bytes = await part.encode();
    } catch (error) {
      if (error instanceof SafetensorsError) throw error;
      throw new SafetensorsError(path, `write failed, the previous file is untouched: ${(error as Error).message}`, part.name, { cause: error });
    }
    yield bytes;
  }
}

/** A failure of `writeFilesAtomically` as a {@link SafetensorsError}: the chunk source's own error when it threw one. */
function asSafetensorsError(error: unknown, path: string): SafetensorsError {
  if (error instanceof SafetensorsError) return error;
  const cause = (error as Error).cause;
  if (cause instanceof SafetensorsError) return cause;
  return new SafetensorsError(path, (error as Error).message, undefined, { cause: error });
}

/** Whether a file name belongs to a safetensors checkpoint's weights (single file, shard, or index). */
export function isSafetensorsCheckpointFile(name: string): boolean {
  return /^model-\d{5}-of-\d{5}\.safetensors$/.test(name) || name === SAFETENSORS_INDEX_FILE || name === SAFETENSORS_FILE;
}

/**
 * The files of a checkpoint laid out as `save_pretrained` does, ready for @heed/backends'
 * `writeFilesAtomically`: `model.safetensors`, or shards `model-0000i-of-0000n.safetensors` plus
 * `model.safetensors.index.json` when the data exceed `maxShardBytes`. Each shard's data is a
 * stream: a tensor (lazy ones loaded then) is encoded only when the writer reaches it, so no
 * second copy of the checkpoint is ever held. Errors name the file and the tensor.
 *
 * @example
 * ```ts
 * const files = safetensorsCheckpointFiles('out/bert', tensors, { maxShardBytes: 200e6 });
 * await writeFilesAtomically('out/bert', [...files, { name: 'config.json', data: configText }], { removeStale: isSafetensorsCheckpointFile });
 * ```
 */
export function safetensorsCheckpointFiles(
  folder: string,
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  options: SaveCheckpointOptions = {},
): FileToWrite[] {
  const { shards, indexText } = shardSafetensors(tensors, options.maxShardBytes ?? 5e9, options.metadata ?? { format: 'pt' });
  const files: FileToWrite[] = [...shards].map(([name, plan]) => ({ name, data: planChunks(plan, join(folder, name)) }));
  if (indexText !== undefined) files.push({ name: SAFETENSORS_INDEX_FILE, data: indexText });
  return files;
}

/**
 * Writes files of a checkpoint through @heed/backends' `writeFilesAtomically` (temporary names,
 * flushed, renamed only when all are complete, in order), then removes the weights files of an
 * earlier layout that the new one does not overwrite; failures are {@link SafetensorsError}s.
 */
export async function writeCheckpointFiles(folder: string, files: readonly FileToWrite[], fs?: NodeFileSystem): Promise<void> {
  try {
    await writeFilesAtomically(folder, files, { removeStale: isSafetensorsCheckpointFile, ...(fs ? { fs } : {}) });
  } catch (error) {
    throw asSafetensorsError(error, folder);
  }
}

/**
 * Writes one safetensors file atomically: the data goes to a temporary file beside `path` tensor
 * by tensor (lazy tensors are loaded only when reached), is flushed to disk, and only then
 * renamed over `path` (through @heed/backends' `writeFilesAtomically`). A failure at any point
 * removes the temporary file and leaves an existing `path` untouched.
 *
 * @example
 * ```ts
 * await writeSafetensorsNode('out/model.safetensors', { 'classifier.bias': { shape: [2], data: new Float32Array([0.1, -0.1]) } }, { format: 'pt' });
 * ```
 */
export async function writeSafetensorsNode(
  path: string,
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  metadata: Readonly<Record<string, string>> = { format: 'pt' },
): Promise<void> {
  const plan = planSafetensors(tensors, metadata, path);
  try {
    await writeFilesAtomically(dirname(path), [{ name: basename(path), data: planChunks(plan, path) }]);
  } catch (error) {
    throw asSafetensorsError(error, path);
  }
}

/** Options of {@link saveSafetensorsCheckpointNode}. */
export interface SaveCheckpointOptions {
  /** Largest data size of one shard in bytes (default 5 GB, as `save_pretrained`'s `"5GB"`). */
  maxShardBytes?: number;
  /** `__metadata__` of every shard (default `{format: "pt"}`, which transformers expects). */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * Saves tensors into a folder as `save_pretrained` does: `model.safetensors`, or shards
 * `model-0000i-of-0000n.safetensors` plus `model.safetensors.index.json` when they exceed
 * `maxShardBytes` ({@link safetensorsCheckpointFiles}). Every file is streamed to a temporary name
 * first; the renames happen only after all of them are complete (the index last), then stale
 * shards of an earlier save are removed. A failure while writing leaves the folder's previous
 * checkpoint as it was.
 *
 * @returns The file names written.
 * @example
 * ```ts
 * await saveSafetensorsCheckpointNode('out/bert-finetuned', tensors, { maxShardBytes: 200e6 });
 * ```
 */
export async function saveSafetensorsCheckpointNode(
  folder: string,
  tensors: Readonly<Record<string, TensorToWrite | LazyTensorToWrite>>,
  options: SaveCheckpointOptions = {},
): Promise<string[]> {
  const files = safetensorsCheckpointFiles(folder, tensors, options);
  await writeCheckpointFiles(folder, files);
  return files.map((file) => file.name);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
