import type * as tf from '@tensorflow/tfjs';
import type { NodeFileSystem } from './node-file-system';

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
    const size = BYTES_PER_VALUE[spec.quantization?.dtype ?? spec.dtype];
    if (size === undefined) return undefined;
    total += size * spec.shape.reduce((product, dim) => product * dim, 1);
  }
  return total;
}

/**
 * Reads a weights file after checking, from its metadata alone, that it is a regular file of the
 * size its manifest describes (`expected` bytes; undefined skips the size check): a `weights.bin`
 * linked to `/dev/zero` or to a huge file is refused instead of read. Errors name both files. Node only.
 *
 * @example
 * ```ts
 * const bytes = await readWeightsFile(await nodeFileSystem(), '/m/model.safetensors', undefined, '/m/config.json');
 * ```
 */
export async function readWeightsFile(fs: Pick<NodeFileSystem, 'stat' | 'readFile'>, path: string, expected: number | undefined, manifestPath: string, where = ''): Promise<Uint8Array> {
  let stats: { size: number; isFile(): boolean };
  try {
    stats = await fs.stat(path);
  } catch (cause) {
    throw new Error(`${where}cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
  if (!stats.isFile()) throw new Error(`${where}${path} is not a regular file (a device, directory or socket); give the weights file ${manifestPath} describes`);
  if (expected !== undefined && stats.size !== expected) {
    throw new Error(`${where}${path} has ${stats.size} bytes but ${manifestPath} describes ${expected} bytes of weights; the pair is corrupt or mismatched`);
  }
  try {
    return await fs.readFile(path);
  } catch (cause) {
    throw new Error(`${where}cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

/**
 * Throws, naming the first weight and how many of its values are NaN or ±Infinity, if any
 * unquantized float32 weight in `data` is not finite: such a model (a diverged run, a corrupt
 * file) would load and then predict nothing sensible without an error.
 * @internal
 */
export function checkFiniteWeights(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer, where: string): void {
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((product, size) => product * size, 1);
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES_PER_VALUE[stored];
    if (bytes === undefined) return; // string weights: sizes are data-dependent, nothing more to check
    if (stored === 'float32' && offset % 4 === 0 && offset + 4 * count <= data.byteLength) {
      const problem = nonFiniteValues(new Float32Array(data, offset, count));
      if (problem) throw new Error(`${where}: weight ${spec.name} [${spec.shape.join(', ')}] holds ${problem}`);
    }
    offset += bytes * count;
  }
}

/**
 * Says how many of `values` are NaN or ±Infinity and where the first is, as the end of an error
 * message (`"3 of 640 values that are NaN or Infinity (the first at flat index 7: NaN); …"`), or
 * undefined when all are finite. heed's loaders (the legacy `weights.bin` and the heed format's
 * `model.safetensors`) refuse such weights with it.
 *
 * @example
 * ```ts
 * nonFiniteValues(new Float32Array([0, NaN])); // '1 of 2 values that are NaN or Infinity (the first at flat index 1: NaN); …'
 * ```
 */
export function nonFiniteValues(values: Float32Array): string | undefined {
  let bad = 0;
  let first = -1;
  for (let index = 0; index < values.length; index++) {
    if (!Number.isFinite(values[index]!)) {
      bad++;
      if (first < 0) first = index;
    }
  }
  if (bad === 0) return undefined;
  return `${bad} of ${values.length} values that are NaN or Infinity (the first at flat index ${first}: ${values[first]}); the weights are corrupt or from a diverged run`;
}
