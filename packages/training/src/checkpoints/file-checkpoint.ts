import type * as tf from '@tensorflow/tfjs';
import { nodeFileSystem, type NodeFileSystem } from '@heed/backends';
import { lockDirectory } from './checkpoint-lock';
import { corruptCheckpoint, isPlainFileName, MANIFEST, OWN_WEIGHTS_FILE, parseManifest } from './checkpoint-manifest';

/**
 * The file operations a {@link fileCheckpoint} needs: `NodeFileSystem` of @heed/backends
 * (`nodeFileSystem()`, the default), replaceable in tests, with two operations optional: `stat`
 * lets a load refuse a weights file of the wrong size, or a device such as /dev/zero, before
 * reading it; `writeFileExclusive` (O_EXCL) lets saves from several processes to one directory
 * take turns through a lock file (without it, only saves within one process do).
 */
export type CheckpointFileSystem = Omit<NodeFileSystem, 'stat' | 'writeFileExclusive'> & Partial<Pick<NodeFileSystem, 'stat' | 'writeFileExclusive'>>;

/** Options of {@link fileCheckpoint}. */
export interface FileCheckpointOptions {
  /** Default: `nodeFileSystem()` of @heed/backends (node:fs/promises, loaded on first use, so browser bundles never touch it). */
  fileSystem?: CheckpointFileSystem;
  /** How long a save waits for another process's save to the same directory. Default 120000 ms. */
  lockTimeoutMs?: number;
}

/** A `tf.io.IOHandler` over a directory; `directory` is where it reads and writes. */
export interface FileCheckpointHandler extends tf.io.IOHandler {
  readonly directory: string;
  save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult>;
  load(): Promise<tf.io.ModelArtifacts>;
}

/** The save running (or last run) per directory: saves to one directory run one after another. */
const saving = new Map<string, Promise<unknown>>();

function oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
  const run = (saving.get(key) ?? Promise.resolve()).then(task, task);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  saving.set(key, settled);
  void settled.then(() => saving.get(key) === settled && saving.delete(key));
  return run;
}

function toBytes(weightData: tf.io.WeightData): Uint8Array {
  if (!Array.isArray(weightData)) return new Uint8Array(weightData);
  const total = weightData.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const buffer of weightData) {
    bytes.set(new Uint8Array(buffer), offset);
    offset += buffer.byteLength;
  }
  return bytes;
}

/**
 * A `tf.io.IOHandler` that saves model artifacts (a checkpoint, or a model's weights) into a
 * directory, atomically: the weights go to a new uniquely named file, then a manifest is written
 * to a temporary name and renamed over `checkpoint.json` (rename is atomic on POSIX), and only
 * then is the weights file the previous manifest named removed. A throw at any point (a full
 * disk, say) removes what this save wrote and leaves the previous checkpoint loadable; saves to
 * one directory run one after another, and the last one to succeed is what loads: within one
 * process by a queue, across processes by the lock file `checkpoint.json.lock` (created with
 * O_EXCL; a lock left by a process that died is taken over, one older than 10 minutes too; a save
 * waits up to `lockTimeoutMs` for another's). Nothing else in the directory is touched: a save
 * deletes only the weights file it replaced. A load refuses a manifest or weights file that cannot be what a save wrote with a
 * `corrupt checkpoint at DIRECTORY: ...` error, and never reads outside the directory. Node
 * only: `node:fs` is imported lazily.
 *
 * @param path a directory, with or without `file://`.
 * @example
 * ```ts
 * await trainer.save(fileCheckpoint('./checkpoints/run-1'));
 * await trainer.load(fileCheckpoint('./checkpoints/run-1'));
 * ```
 */
export function fileCheckpoint(path: string, options: FileCheckpointOptions = {}): FileCheckpointHandler {
  const directory = path.replace(/^file:\/\//, '').replace(/\/+$/, '');
  const fileSystem = async () => options.fileSystem ?? (await nodeFileSystem());
  /** The weights file the committed manifest names, if it is one a save generated. */
  const committedWeightsFile = async (fs: CheckpointFileSystem): Promise<string | undefined> => {
    try {
      const { weightsFile } = JSON.parse(new TextDecoder().decode(await fs.readFile(`${directory}/${MANIFEST}`))) as { weightsFile?: unknown };
      return isPlainFileName(weightsFile) && OWN_WEIGHTS_FILE.test(weightsFile) ? weightsFile : undefined;
    } catch {
      return undefined; // no manifest yet, or an unreadable one: nothing to replace
    }
  };
  const save = async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    const fs = await fileSystem();
    await fs.mkdir(directory, { recursive: true });
    const { writeFileExclusive } = fs;
    if (!writeFileExclusive) return commit(fs, artifacts);
    const release = await lockDirectory({ ...fs, writeFileExclusive }, `${directory}/${MANIFEST}.lock`, { timeoutMs: options.lockTimeoutMs });
    try {
      return await commit(fs, artifacts);
    } finally {
      await release();
    }
  };
  const commit = async (fs: CheckpointFileSystem, artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    const replaced = await committedWeightsFile(fs);
    const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    const weightsFile = `weights-${id}.bin`;
    const temporary = `${directory}/${MANIFEST}.${id}.tmp`;
    const { weightData, ...rest } = artifacts;
    const bytes = weightData ? toBytes(weightData) : new Uint8Array(0);
    try {
      await fs.writeFile(`${directory}/${weightsFile}`, bytes);
      await fs.writeFile(temporary, JSON.stringify({ ...rest, weightsFile }));
      await fs.rename(temporary, `${directory}/${MANIFEST}`); // the commit point
    } catch (error) {
      // Nothing was committed: remove this save's own (possibly partial) files, keep the error.
      await Promise.all([`${directory}/${weightsFile}`, temporary].map((file) => fs.rm(file, { force: true }).catch(() => undefined)));
      throw error;
    }
    // Committed. A leftover old weights file is harmless, so a failure to remove it is not the save's.
    if (replaced !== undefined && replaced !== weightsFile) await fs.rm(`${directory}/${replaced}`, { force: true }).catch(() => undefined);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
  };
  return {
    directory,
    save: (artifacts) => oneAtATime(directory, () => save(artifacts)),
    async load() {
      const fs = await fileSystem();
      let text: string;
      try {
        text = new TextDecoder().decode(await fs.readFile(`${directory}/${MANIFEST}`));
      } catch (error) {
        throw new Error(`no checkpoint at ${directory}: cannot read ${MANIFEST} (${(error as Error).message})`, { cause: error });
      }
      const { manifest, expectedBytes } = parseManifest(text, directory);
      const { weightsFile, ...artifacts } = manifest;
      const file = `${directory}/${weightsFile}`;
      const sizeProblem = (size: number) =>
        expectedBytes !== undefined && size !== expectedBytes ? `${weightsFile} holds ${size} bytes but ${MANIFEST}'s weightSpecs need ${expectedBytes}` : undefined;
      let bytes: Uint8Array;
      try {
        const stats = await fs.stat?.(file);
        if (stats && !stats.isFile()) throw corruptCheckpoint(directory, `${weightsFile} is not a regular file`);
        const problem = stats && sizeProblem(stats.size);
        if (problem) throw corruptCheckpoint(directory, problem);
        bytes = await fs.readFile(file);
      } catch (error) {
        if ((error as Error).message.startsWith('corrupt checkpoint')) throw error;
        throw corruptCheckpoint(directory, `cannot read ${weightsFile} (${(error as Error).message})`, error);
      }
      const problem = sizeProblem(bytes.byteLength);
      if (problem) throw corruptCheckpoint(directory, problem);
      return { ...artifacts, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
    },
  };
}
