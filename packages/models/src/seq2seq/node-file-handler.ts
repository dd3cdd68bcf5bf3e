import * as tf from '@tensorflow/tfjs';

import type * as FileSystemPromises from 'node:fs/promises';
import { weightBytes } from '../pretrained/layers-file-handler';
import { checkFiniteWeights, readWeightsFile } from '../pretrained/weights-file-checks';

type FileSystem = typeof FileSystemPromises;

function importNodeOnly<Module>(specifier: string): Promise<Module> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier) as Promise<Module>;
}

/**
 * A `tf.io.IOHandler` that saves to and loads from a directory in Node (`model.json` +
 * `weights.bin`), for `file://` URLs without @tensorflow/tfjs-node. `node:fs` is imported lazily,
 * so browser bundles never load it.
 *
 * @example
 * ```ts
 * await model.save(nodeFileHandler('/tmp/g2p')); // same as model.save('file:///tmp/g2p')
 * ```
 */
export function nodeFileHandler(directory: string): tf.io.IOHandler {
  const dir = directory.replace(/^file:\/\//, '');
  const modelPath = `${dir}/model.json`;
  const weightsPath = `${dir}/weights.bin`;
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const fs = await importNodeOnly<FileSystem>('node:fs/promises');
      await fs.mkdir(dir, { recursive: true });
      const data = artifacts.weightData === undefined ? new Uint8Array(0) : new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer | ArrayBuffer[]));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        weightsManifest: [{ paths: ['./weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      // Write to temporary names first so an interrupted save never leaves a half-written pair.
      await fs.writeFile(`${weightsPath}.tmp`, data);
      await fs.writeFile(`${modelPath}.tmp`, JSON.stringify(json));
      await fs.rename(`${weightsPath}.tmp`, weightsPath);
      await fs.rename(`${modelPath}.tmp`, modelPath);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
    async load(): Promise<tf.io.ModelArtifacts> {
      const fs = await importNodeOnly<FileSystem>('node:fs/promises');
      let json: { modelTopology?: object; format?: string; weightsManifest?: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }> };
      try {
        json = JSON.parse(await fs.readFile(modelPath, 'utf8')) as typeof json;
      } catch (cause) {
        throw new Error(`Seq2Seq.load: cannot read ${modelPath}: ${(cause as Error).message}`, { cause });
      }
      const manifest = json.weightsManifest?.[0];
      if (!manifest) throw new Error(`Seq2Seq.load: ${modelPath} has no weightsManifest`);
      const buffer = await readWeightsFile(fs, weightsPath, weightBytes(manifest.weights ?? []), modelPath, 'Seq2Seq.load: ');
      const weightData = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) as ArrayBuffer;
      checkFiniteWeights(manifest.weights ?? [], weightData, `Seq2Seq.load: ${weightsPath}`);
      return { modelTopology: json.modelTopology, format: json.format, weightSpecs: manifest.weights, weightData };
    },
  };
}
