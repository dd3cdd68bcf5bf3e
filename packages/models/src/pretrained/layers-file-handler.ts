import * as tf from '@tensorflow/tfjs';

import type * as FileSystemPromises from 'node:fs/promises';
import { checkFiniteWeights, readWeightsFile } from './weights-file-checks';

type FileSystem = typeof FileSystemPromises;

function importNodeOnly<Module>(specifier: string): Promise<Module> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Module>;
}

/** The two files a saved model consists of (see {@link layersFileHandler}). */
export const MODEL_FILE = 'model.json';
/** The weights file referenced by `model.json`'s `weightsManifest`. */
export const WEIGHTS_FILE = 'weights.bin';

const BYTES_PER_VALUE: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/**
 * Bytes the weights described by `specs` take in a weights file (quantized specs count their
 * stored type), or `undefined` when a string tensor makes the size data-dependent.
 *
 * @example
 * ```ts
 * weightBytes([{ name: 'kernel', shape: [2, 3], dtype: 'float32', quantization: { dtype: 'float16' } }]); // 12
 * ```
 */
export function weightBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | undefined {
  let total = 0;
  for (const spec of specs) {
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const size = BYTES_PER_VALUE[stored];
    if (size === undefined) return undefined;
    total += size * spec.shape.reduce((product, dim) => product * dim, 1);
  }
  return total;
}

interface ModelJson {
  modelTopology?: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest?: Array<{ paths?: string[]; weights?: tf.io.WeightsManifestEntry[] }>;
}

/**
 * Reads and checks `model.json` in `directory`: errors name the file and say what is wrong
 * (missing, not JSON, no `weightsManifest`).
 *
 * @example
 * ```ts
 * const json = await readModelJson('/models/digits'); // json.userDefinedMetadata, json.weightsManifest
 * ```
 */
export async function readModelJson(directory: string): Promise<ModelJson> {
  const fs = await importNodeOnly<FileSystem>('node:fs/promises');
  const path = `${stripFileScheme(directory)}/${MODEL_FILE}`;
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (cause) {
    throw new Error(`cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (cause) {
    throw new Error(`${path} is not valid JSON (${(cause as Error).message}); the file is corrupt`, { cause });
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object') throw new Error(`${path} has no modelTopology; it is not a saved model`);
  if (!Array.isArray(json.weightsManifest) || !Array.isArray(json.weightsManifest[0]?.weights)) throw new Error(`${path} has no weightsManifest; it is not a saved model`);
  return json;
}

function stripFileScheme(directory: string): string {
  return directory.replace(/^file:\/\//, '').replace(/\/+$/, '');
}

/**
 * A `tf.io.IOHandler` for a directory in Node holding what tfjs-node's `file://` handler writes:
 * `model.json` (topology, `weightsManifest` pointing at `./weights.bin`, `userDefinedMetadata`)
 * and `weights.bin`. Works for any `tf.LayersModel` and for every heed model, without
 * @tensorflow/tfjs-node; `node:fs` is imported lazily, so browser bundles never load it. Loading
 * checks the files and names the one that is missing, corrupt, or of the wrong size.
 *
 * @param directory a directory path, with or without `file://`.
 * @example
 * ```ts
 * await vit.save(layersFileHandler('/tmp/digits')); // same as vit.save('file:///tmp/digits')
 * const model = await tf.loadLayersModel(layersFileHandler('/tmp/digits'));
 * ```
 */
export function layersFileHandler(directory: string): tf.io.IOHandler {
  const dir = stripFileScheme(directory);
  const modelPath = `${dir}/${MODEL_FILE}`;
  const weightsPath = `${dir}/${WEIGHTS_FILE}`;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const fs = await importNodeOnly<FileSystem>('node:fs/promises');
      await fs.mkdir(dir, { recursive: true });
      const data = artifacts.weightData === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]));
      const json: ModelJson = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      // Temporary names first, so an interrupted save never leaves a half-written pair.
      await fs.writeFile(`${weightsPath}.tmp`, data);
      await fs.writeFile(`${modelPath}.tmp`, JSON.stringify(json));
      await fs.rename(`${weightsPath}.tmp`, weightsPath);
      await fs.rename(`${modelPath}.tmp`, modelPath);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const fs = await importNodeOnly<FileSystem>('node:fs/promises');
      const json = await readModelJson(dir);
      const manifest = json.weightsManifest![0]!;
      const specs = manifest.weights!;
      const paths = manifest.paths ?? [];
      if (paths.length !== 1 || paths[0]!.replace(/^\.\//, '') !== WEIGHTS_FILE) {
        throw new Error(`${modelPath} lists weight files ${JSON.stringify(paths)}; expected ["./${WEIGHTS_FILE}"]`);
      }
      const expected = weightBytes(specs);
      const buffer = await readWeightsFile(fs, weightsPath, expected, modelPath);
      if (expected !== undefined && expected !== buffer.byteLength) {
        throw new Error(`${weightsPath} has ${buffer.byteLength} bytes but ${modelPath} describes ${expected} bytes of weights; the pair is corrupt or mismatched`);
      }
      const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
      checkFiniteWeights(specs, weightData, weightsPath);
      const artifacts: tf.io.ModelArtifacts = { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, weightSpecs: specs, weightData };
      if (json.convertedBy !== undefined) artifacts.convertedBy = json.convertedBy;
      if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
      if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata as Record<string, object>;
      return artifacts;
    },
  };
}

/**
 * `file://…` strings become a {@link layersFileHandler} (tfjs has no `file://` handler without
 * tfjs-node); other strings and handlers pass through to tf.io's routers.
 *
 * @example
 * ```ts
 * await model.save(layersDestination('file:///tmp/model')); // model.json + weights.bin
 * ```
 */
export function layersDestination(destination: string | tf.io.IOHandler): string | tf.io.IOHandler {
  return typeof destination === 'string' && destination.startsWith('file://') ? layersFileHandler(destination) : destination;
}
