import * as tf from '@tensorflow/tfjs';
import { nodeFileSystem, stripFileScheme } from './node-file-system';
import { checkFiniteWeights, readWeightsFile, weightBytes } from './weights-file-checks';
import { writeFilesAtomically } from './write-files-atomically';

/** The two files a saved model consists of (see {@link nodeFileHandler}). */
export const MODEL_FILE = 'model.json';
/** The weights file referenced by `model.json`'s `weightsManifest`. */
export const WEIGHTS_FILE = 'weights.bin';

/** What a saved model's `model.json` holds (as tfjs' `file://` and `http(s)://` handlers read it). */
export interface ModelJson {
  modelTopology?: object;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  trainingConfig?: tf.io.TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
  weightsManifest?: Array<{ paths?: string[]; weights?: tf.io.WeightsManifestEntry[] }>;
}

/**
 * Reads and checks `model.json` in `directory`: errors (prefixed with `where`) name the file and
 * say what is wrong (missing, not JSON, no `modelTopology` or `weightsManifest`). Node only.
 *
 * @example
 * ```ts
 * const json = await readModelJson('/models/digits'); // json.userDefinedMetadata, json.weightsManifest
 * ```
 */
export async function readModelJson(directory: string, where = ''): Promise<ModelJson> {
  const fs = await nodeFileSystem();
  const path = `${stripFileScheme(directory)}/${MODEL_FILE}`;
  let text: string;
  try {
    text = new TextDecoder().decode(await fs.readFile(path));
  } catch (cause) {
    throw new Error(`${where}cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: ModelJson;
  try {
    json = JSON.parse(text) as ModelJson;
  } catch (cause) {
    throw new Error(`${where}${path} is not valid JSON (${(cause as Error).message}); the file is corrupt`, { cause });
  }
  if (typeof json !== 'object' || json === null || typeof json.modelTopology !== 'object') throw new Error(`${where}${path} has no modelTopology; it is not a saved model`);
  if (!Array.isArray(json.weightsManifest) || !Array.isArray(json.weightsManifest[0]?.weights)) throw new Error(`${where}${path} has no weightsManifest; it is not a saved model`);
  return json;
}

/** Options of {@link nodeFileHandler}. */
export interface NodeFileHandlerOptions {
  /** Prefix of every error message, e.g. `'Seq2Seq.load: '`. Default none. */
  where?: string;
}

/**
 * heed's one Node file handler: a `tf.io.IOHandler` for a directory holding what tfjs-node's
 * `file://` handler writes, `model.json` (topology, `weightsManifest` pointing at `./weights.bin`,
 * `userDefinedMetadata`) and `weights.bin`. Works for any `tf.LayersModel` and for every heed
 * model (Seq2Seq, ViT, text classifiers), without @tensorflow/tfjs-node; `node:fs` is imported
 * lazily, so browser bundles never load it. A save writes both files under temporary names and
 * renames them, so an interrupted save never leaves a half-written pair; a load checks the files
 * (a regular file of the size the manifest describes, finite float weights) and names the one
 * that is missing, corrupt, or of the wrong size.
 *
 * @param directory a directory path, with or without `file://`.
 * @example
 * ```ts
 * await vit.save(nodeFileHandler('/tmp/digits')); // same as vit.save('file:///tmp/digits')
 * const model = await tf.loadLayersModel(nodeFileHandler('/tmp/digits'));
 * ```
 */
export function nodeFileHandler(directory: string, options: NodeFileHandlerOptions = {}): tf.io.IOHandler {
  const where = options.where ?? '';
  const dir = stripFileScheme(directory);
  const modelPath = `${dir}/${MODEL_FILE}`;
  const weightsPath = `${dir}/${WEIGHTS_FILE}`;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
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
      await writeFilesAtomically(dir, [{ name: WEIGHTS_FILE, data }, { name: MODEL_FILE, data: JSON.stringify(json) }], { where });
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const fs = await nodeFileSystem();
      const json = await readModelJson(dir, where);
      const manifest = json.weightsManifest![0]!;
      const specs = manifest.weights!;
      const paths = manifest.paths ?? [];
      if (paths.length !== 1 || paths[0]!.replace(/^\.\//, '') !== WEIGHTS_FILE) {
        throw new Error(`${where}${modelPath} lists weight files ${JSON.stringify(paths)}; expected ["./${WEIGHTS_FILE}"]`);
      }
      const expected = weightBytes(specs);
      const buffer = await readWeightsFile(fs, weightsPath, expected, modelPath, where);
      if (expected !== undefined && expected !== buffer.byteLength) {
        throw new Error(`${where}${weightsPath} has ${buffer.byteLength} bytes but ${modelPath} describes ${expected} bytes of weights; the pair is corrupt or mismatched`);
      }
      const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
      checkFiniteWeights(specs, weightData, `${where}${weightsPath}`);
      const artifacts: tf.io.ModelArtifacts = { modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, weightSpecs: specs, weightData };
      if (json.convertedBy !== undefined) artifacts.convertedBy = json.convertedBy;
      if (json.trainingConfig) artifacts.trainingConfig = json.trainingConfig;
      if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata as Record<string, object>;
      return artifacts;
    },
  };
}
