import { nodeFileSystem, stripFileScheme, type NodeFileSystem } from './node-file-system';

/** One file for {@link writeFilesAtomically}: its name inside the folder and its bytes (chunks are written in order). */
export interface FileToWrite {
  readonly name: string;
  readonly data: Uint8Array | string | readonly Uint8Array[];
}

/** Options of {@link writeFilesAtomically}. */
export interface WriteFilesOptions {
  /** The file operations (default `node:fs/promises`); a test may pass a disk that fails half way. */
  fs?: NodeFileSystem;
  /** Prefix of every error message, e.g. `'VitImageClassifier.save: '`. */
  where?: string;
}

const join = (chunks: readonly Uint8Array[]): Uint8Array => {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
};

let counter = 0;

/**
 * Writes several files into `directory` so that a failed save leaves the previous files intact:
 * every file goes to a temporary name beside its destination (`.<name>.<pid>-<n>.tmp`) first; only
 * when all of them are complete are they renamed over the old ones, in the given order (put the
 * file a reader opens first, e.g. `config.json`, last). A failure while writing removes the
 * temporaries and names the file. The folder is created when missing. Node only (`node:fs` is
 * imported on first use, so browser bundles never load it). heed's savers (`nodeFileHandler`,
 * the heed model format) all write through it.
 *
 * @param directory a folder path, with or without `file://`.
 * @example
 * ```ts
 * await writeFilesAtomically('/tmp/digits', [
 *   { name: 'model.safetensors', data: weightBytes },
 *   { name: 'config.json', data: JSON.stringify(config) },
 * ]);
 * ```
 */
export async function writeFilesAtomically(directory: string, files: readonly FileToWrite[], options: WriteFilesOptions = {}): Promise<void> {
  const where = options.where ?? '';
  if (typeof directory !== 'string' || directory === '') throw new TypeError(`${where}directory must be a folder path; got ${JSON.stringify(directory)}`);
  const fs = options.fs ?? (await nodeFileSystem());
  const dir = stripFileScheme(directory) || '/';
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new Error(`${where}cannot create the folder ${dir}: ${(cause as Error).message}`, { cause });
  }
  const pid = typeof process === 'object' ? process.pid : 0;
  const written: Array<{ temporary: string; final: string }> = [];
  try {
    for (const file of files) {
      const final = `${dir}/${file.name}`;
      const temporary = `${dir}/.${file.name}.${pid}-${Date.now().toString(36)}-${counter++}.tmp`;
      written.push({ temporary, final });
      const data = typeof file.data === 'string' || file.data instanceof Uint8Array ? file.data : join(file.data);
      try {
        await fs.writeFile(temporary, data);
      } catch (cause) {
        throw new Error(`${where}cannot write ${final} (the previous files are untouched): ${(cause as Error).message}`, { cause });
      }
    }
  } catch (error) {
    for (const { temporary } of written) await fs.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  for (const [index, { temporary, final }] of written.entries()) {
    try {
      await fs.rename(temporary, final);
    } catch (cause) {
      for (const rest of written.slice(index)) await fs.rm(rest.temporary, { force: true }).catch(() => undefined);
      throw new Error(`${where}cannot replace ${final}: ${(cause as Error).message}`, { cause });
    }
  }
}
