import type * as tf from '@tensorflow/tfjs';
import type * as FileSystemPromises from 'node:fs/promises';
import { importNodeOnly } from '../environment/import-node-only';

/** The few file operations a {@link fileCheckpoint} needs (node:fs/promises by default; replaceable in tests). */
export interface CheckpointFileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  rm(path: string, options: { force: true }): Promise<void>;
}

/** Options of {@link fileCheckpoint}. */
export interface FileCheckpointOptions {
  /** Default: node:fs/promises, loaded on first use (so browser bundles never touch it). */
  fileSystem?: CheckpointFileSystem;
}

const MANIFEST = 'checkpoint.json';

async function nodeFileSystem(): Promise<CheckpointFileSystem> {
  const fs = await importNodeOnly<typeof FileSystemPromises>('node:fs/promises');
  return {
    mkdir: (path, options) => fs.mkdir(path, options),
    writeFile: (path, data) => fs.writeFile(path, data),
    readFile: (path) => fs.readFile(path),
    rename: (from, to) => fs.rename(from, to),
    readdir: (path) => fs.readdir(path),
    rm: (path, options) => fs.rm(path, options),
  };
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
 * then are older weight files removed. A crash or throw at any point leaves the previous
 * checkpoint loadable. Node only: `node:fs` is imported lazily.
 *
 * @param path a directory, with or without `file://`.
 * @example
 * ```ts
 * await trainer.save(fileCheckpoint('./checkpoints/run-1'));
 * await trainer.load(fileCheckpoint('./checkpoints/run-1'));
 * ```
 */
export function fileCheckpoint(path: string, options: FileCheckpointOptions = {}): tf.io.IOHandler {
  const directory = path.replace(/^file:\/\//, '').replace(/\/+$/, '');
  const fileSystem = async () => options.fileSystem ?? (await nodeFileSystem());
  return {
    async save(artifacts) {
      const fs = await fileSystem();
      await fs.mkdir(directory, { recursive: true });
      const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      const weightsFile = `weights-${id}.bin`;
      const { weightData, ...rest } = artifacts;
      const bytes = weightData ? toBytes(weightData) : new Uint8Array(0);
      await fs.writeFile(`${directory}/${weightsFile}`, bytes);
      const temporary = `${directory}/${MANIFEST}.${id}.tmp`;
      await fs.writeFile(temporary, JSON.stringify({ ...rest, weightsFile }));
      await fs.rename(temporary, `${directory}/${MANIFEST}`); // the commit point
      for (const name of await fs.readdir(directory)) {
        if ((name.startsWith('weights-') && name !== weightsFile) || name.endsWith('.tmp')) await fs.rm(`${directory}/${name}`, { force: true });
      }
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
    },
    async load() {
      const fs = await fileSystem();
      let manifest: string;
      try {
        manifest = new TextDecoder().decode(await fs.readFile(`${directory}/${MANIFEST}`));
      } catch (error) {
        throw new Error(`no checkpoint at ${directory}: cannot read ${MANIFEST} (${(error as Error).message})`, { cause: error });
      }
      const { weightsFile, ...artifacts } = JSON.parse(manifest) as tf.io.ModelArtifacts & { weightsFile: string };
      const bytes = await fs.readFile(`${directory}/${weightsFile}`);
      return { ...artifacts, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer };
    },
  };
}
