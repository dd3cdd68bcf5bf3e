import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ByteSource } from '../safetensors/byte-source';
import { fileByteSource } from '../safetensors/safetensors-node';
import { CheckpointSourceError, type CheckpointSource } from './checkpoint-source';

/**
 * A checkpoint in a local folder (a `save_pretrained` output, a `git clone` of a Hub repository).
 * Weights are read range by range through a file handle. Node only.
 *
 * @example
 * ```ts
 * const source = folderSource('checkpoints/bert-tiny');
 * await source.has('tokenizer.json'); // true
 * ```
 */
export function folderSource(folder: string): CheckpointSource {
  return {
    location: folder,
    has: async (file) => stat(join(folder, file)).then((info) => info.isFile(), () => false),
    async readText(file) {
      try {
        return await readFile(join(folder, file), 'utf8');
      } catch (error) {
        throw new CheckpointSourceError(join(folder, file), `cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, undefined, { cause: error });
      }
    },
    async open(file): Promise<ByteSource> {
      if (!(await stat(join(folder, file)).then((info) => info.isFile(), () => false))) {
        throw new CheckpointSourceError(join(folder, file), 'no such file in the checkpoint folder');
      }
      return fileByteSource(join(folder, file));
    },
  };
}
