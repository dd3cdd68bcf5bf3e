import { nodeFileSystem, stripFileScheme, type NodeFileSystem } from './node-file-system';

/**
 * What a file holds for {@link writeFilesAtomically}: text, bytes, or chunks written in order. An
 * async iterable is streamed: each chunk is written before the next is asked for, so a file larger
 * than memory (a sharded checkpoint's tensors, encoded one at a time) never exists as one copy.
 */
export type FileData = Uint8Array | string | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/** One file for {@link writeFilesAtomically}: its name inside the folder and what it holds. */
export interface FileToWrite {
  readonly name: string;
  readonly data: FileData;
}

/** Options of {@link writeFilesAtomically}. */
export interface WriteFilesOptions {
  /** The file operations (default `node:fs/promises`); a test may pass a disk that fails half way. */
  fs?: NodeFileSystem;
  /** Prefix of every error message, e.g. `'VitImageClassifier.save: '`. */
  where?: string;
  /**
   * After every rename succeeded: the folder's other files (not among those written) for which this
   * returns true are removed, e.g. the shards of an earlier, differently sharded checkpoint. A
   * failure to remove one is ignored (the save itself is complete).
   */
  removeStale?: (name: string) => boolean;
}

async function* asChunks(data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* data;
}

async function joinChunks(data: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of asChunks(data)) chunks.push(chunk);
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

let counter = 0;

/**
 * Writes several files into `directory` so that a failed save leaves the previous files intact:
 * every file goes to a temporary name beside its destination (`.<name>.<pid>-<n>.tmp`) first; only
 * when all of them are complete are they renamed over the old ones, in the given order (put the
 * file a reader opens first, e.g. `config.json`, last). Chunked data is streamed (see
 * {@link FileData}) and flushed to disk before the rename. A failure while writing, including one
 * thrown by a chunk source, removes the temporaries and names the file (the original error is the
 * `cause`). The folder is created when missing. Node only (`node:fs` is imported on first use, so
 * browser bundles never load it). heed's one atomic writer: `nodeFileHandler`, the heed model
 * format, the Hugging Face `savePretrained` and safetensors writers and the results tables all
 * write through it.
 *
 * @param directory a folder path, with or without `file://`.
 * @example
 * ```ts
 * await writeFilesAtomically('/tmp/digits', [
 *   { name: 'model.safetensors', data: weightBytes },
 *   { name: 'config.json', data: JSON.stringify(config) },
 * ]);
 * // Streamed: each tensor is encoded only when the writer reaches it.
 * async function* tensors() { for (const t of list) yield await encode(t); }
 * await writeFilesAtomically('/tmp/big', [{ name: 'weights.bin', data: tensors() }]);
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
      try {
        const { data } = file;
        if (typeof data === 'string' || data instanceof Uint8Array) await fs.writeFile(temporary, data);
        else if (fs.writeFileChunks) await fs.writeFileChunks(temporary, data);
        else await fs.writeFile(temporary, await joinChunks(data));
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
  const { removeStale } = options;
  if (removeStale) {
    const kept = new Set(files.map((file) => file.name));
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    for (const name of names) if (!kept.has(name) && removeStale(name)) await fs.rm(`${dir}/${name}`, { force: true }).catch(() => undefined);
  }
}

/**
 * One file written as {@link writeFilesAtomically} writes several: to a temporary name beside
 * `path`, then renamed over it, so a failed write leaves the previous file intact. Node only.
 *
 * @param path a file path, with or without `file://`.
 * @example
 * ```ts
 * await writeFileAtomically('runs/g2p/results.json', `${JSON.stringify(results, null, 2)}\n`);
 * ```
 */
export async function writeFileAtomically(path: string, data: FileData, options: Omit<WriteFilesOptions, 'removeStale'> = {}): Promise<void> {
  const where = options.where ?? '';
  const file = typeof path === 'string' && !path.endsWith('/') ? stripFileScheme(path) : '';
  const slash = file.lastIndexOf('/');
  const name = file.slice(slash + 1);
  if (name === '' || name === '.' || name === '..') throw new TypeError(`${where}path must be a file path; got ${JSON.stringify(path)}`);
  await writeFilesAtomically(slash < 0 ? '.' : slash === 0 ? '/' : file.slice(0, slash), [{ name, data }], options);
}
