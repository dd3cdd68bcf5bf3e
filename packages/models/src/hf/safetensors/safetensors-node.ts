import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/**
 * Writes one safetensors file atomically: the data goes to a temporary file beside `path` tensor
 * by tensor (lazy tensors are loaded only when reached), is flushed to disk, and only then
 * renamed over `path`. A failure at any point removes the temporary file and leaves an existing
 * `path` untouched.
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
  const temporary = await writeTemporary(path, planSafetensors(tensors, metadata, path));
  await rename(temporary, path).catch(async (error: unknown) => {
    await unlink(temporary).catch(() => undefined);
    throw new SafetensorsError(path, `cannot replace: ${(error as Error).message}`, undefined, { cause: error });
  });
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
 * `maxShardBytes`. Every file is written to a temporary name first; the renames happen only after
 * all of them are complete (the index last), then stale shards of an earlier save are removed.
 * A failure while writing leaves the folder's previous checkpoint as it was.
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
  const { shards, indexText } = shardSafetensors(tensors, options.maxShardBytes ?? 5e9, options.metadata ?? { format: 'pt' });
  const written: [string, string][] = [];
  try {
    for (const [file, plan] of shards) written.push([await writeTemporary(join(folder, file), plan), join(folder, file)]);
    if (indexText !== undefined) {
      const index = join(folder, SAFETENSORS_INDEX_FILE);
      const bytes = new TextEncoder().encode(indexText);
      written.push([await writeTemporary(index, { head: bytes, parts: [], size: bytes.byteLength }), index]);
    }
  } catch (error) {
    for (const [temporary] of written) await unlink(temporary).catch(() => undefined);
    throw error;
  }
  for (const [temporary, final] of written) await rename(temporary, final);
  // Remove what the new checkpoint replaces: stale shards, and the index or single file of the other layout.
  const keep = new Set(written.map(([, final]) => basename(final)));
  for (const name of await readdir(folder)) {
    const stale = /^model-\d{5}-of-\d{5}\.safetensors$/.test(name) || name === SAFETENSORS_INDEX_FILE || name === SAFETENSORS_FILE;
    if (stale && !keep.has(name)) await unlink(join(folder, name)).catch(() => undefined);
  }
  return [...keep];
}

async function writeTemporary(path: string, plan: SafetensorsPlan): Promise<string> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    throw new SafetensorsError(path, `cannot write: ${(error as Error).message}`, undefined, { cause: error });
  }
  let tensor: string | undefined;
  try {
    await writeAll(handle, plan.head);
    for (const part of plan.parts) {
      tensor = part.name;
      await writeAll(handle, await part.encode());
    }
    tensor = undefined;
    await handle.sync();
    await handle.close();
    return temporary;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    if (error instanceof SafetensorsError) throw error;
    throw new SafetensorsError(path, `write failed, the previous file is untouched: ${(error as Error).message}`, tensor, { cause: error });
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.byteLength) {
    const { bytesWritten } = await handle.write(bytes, written, bytes.byteLength - written);
    written += bytesWritten;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
